"""The reconciliation endpoints at /reconcile (Reconciliation Service API 0.2).

`GET /reconcile` is the service manifest; `POST /reconcile` with a `queries` form field (or
a JSON body) reconciles a batch, with an `extend` field fetches property values. Suggest,
preview, property proposals and a view link live under it. Reads only the public rows
(`advocacy.reconcile.service`); anonymous, no cookies, no writes: no CSRF token needed.
"""

import json

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from advocacy.models.public import PLACEHOLDER_ORIGIN
from advocacy.reconcile import service

PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 160


def _origin(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _json(request, data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Public data only, no credentials: any page (a notebook, a browser tool) may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(request, message: str, status: int = 400) -> JsonResponse:
    return _json(request, {"error": message}, status=status)


def manifest(request) -> dict:
    base = _origin(request)
    service_url = f"{base}/reconcile"
    return {
        "versions": ["0.2"],
        "name": "Advocacy Tracker",
        "identifierSpace": f"{base}/reconcile/ids",
        "schemaSpace": f"{base}/reconcile/schema",
        "documentation": f"{base}/api/docs/",
        "view": {"url": f"{service_url}/view/{{{{id}}}}"},
        "defaultTypes": [{"id": t["id"], "name": t["name"]} for t in service.TYPES.values()],
        "preview": {
            "url": f"{service_url}/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "entity": {"service_url": service_url, "service_path": "/suggest/entity"},
            "type": {"service_url": service_url, "service_path": "/suggest/type"},
            "property": {"service_url": service_url, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service_url, "service_path": "/properties"},
            "property_settings": [],
        },
    }


def _payload(request) -> dict:
    """The request's parameters: form fields or query string, or a JSON body."""
    if request.method == "POST" and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as error:
            raise service.ReconcileError(f"the body is not JSON: {error}") from error
        if not isinstance(body, dict):
            raise service.ReconcileError("the body must be a JSON object")
        if "queries" in body or "extend" in body:
            return body
        # A bare batch of queries.
        return {"queries": body}
    source = request.POST if request.method == "POST" else request.GET
    payload = {}
    for name in ("queries", "extend"):
        if name in source:
            try:
                payload[name] = json.loads(source[name])
            except ValueError as error:
                raise service.ReconcileError(f"{name}: not JSON: {error}") from error
    return payload


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD", "OPTIONS"])
def reconcile(request):
    if request.method == "OPTIONS":
        response = _json(request, {})
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        return response
    try:
        payload = _payload(request)
        if "queries" in payload:
            return _json(request, service.reconcile(payload["queries"]))
        if "extend" in payload:
            return _json(request, service.extend(payload["extend"]))
    except service.ReconcileError as error:
        return _error(request, str(error))
    return _json(request, manifest(request))


@require_GET
def suggest(request, what: str):
    prefix = request.GET.get("prefix", "")
    try:
        if what == "entity":
            result = service.suggest_entities(prefix, request.GET.get("type") or None)
        elif what == "type":
            result = service.suggest_types(prefix)
        else:
            result = service.suggest_properties(prefix)
    except service.ReconcileError as error:
        return _error(request, str(error))
    return _json(request, {"result": result})


@require_GET
def properties(request):
    limit = request.GET.get("limit")
    if limit is not None and not limit.isdigit():
        return _error(request, "limit: give a positive whole number")
    try:
        answer = service.propose_properties(
            request.GET.get("type", ""), int(limit) if limit else None
        )
    except service.ReconcileError as error:
        return _error(request, str(error))
    return _json(request, answer)


def _document(entity: str) -> tuple[str, dict]:
    found = service.fetch([entity])
    if entity not in found:
        raise Http404("No such public record.")
    return found[entity]


@xframe_options_exempt
@require_GET
def preview(request):
    """A small HTML card of the entity, for OpenRefine's preview frame."""
    kind, document = _document(request.GET.get("id", ""))
    html = render_to_string(
        "advocacy/reconcile_preview.html",
        {
            "document": document,
            "description": service.describe(kind, document),
            "url": (document.get("html_url") or "").replace(PLACEHOLDER_ORIGIN, _origin(request)),
            "type": service.TYPES[kind]["name"],
        },
    )
    return HttpResponse(html)


@require_GET
def view(request, entity: str):
    """The entity's public page."""
    _kind, document = _document(entity)
    return HttpResponseRedirect(
        (document.get("html_url") or "/").replace(PLACEHOLDER_ORIGIN, _origin(request))
    )
