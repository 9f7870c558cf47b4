"""Refusals that protect the app: oversized or over-nested requests, and an unreachable or
too slow database answered with a clear 503 instead of a 500 or a hung worker."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape

from advocacy.parsers import json_depth_error, json_depth_exceeds

logger = logging.getLogger(__name__)

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def wants_json(request) -> bool:
    """API clients and anything that asked for JSON get JSON errors; browsers get HTML."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return request.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def error_response(
    request, *, status: int, title: str, detail: str, code: str, headers: dict | None = None
):
    if wants_json(request):
        response = JsonResponse({"detail": detail, "code": code}, status=status)
    else:
        # Plain markup with no inline style or script, so it passes the CSP as it is.
        response = HttpResponse(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head>"
            f"<body><main><h1>{escape(title)}</h1><p>{escape(detail)}</p></main></body></html>\n",
            status=status,
            content_type="text/html; charset=utf-8",
        )
    for name, value in (headers or {}).items():
        response[name] = value
    add_never_cache_headers(response)
    return response


def is_json(request) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class RequestLimitsMiddleware:
    """413 for a body over REQUEST_MAX_BODY_BYTES (judged on Content-Length, before reading
    it); 400 for JSON nested deeper than JSON_MAX_DEPTH (a parser would recurse on it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            return self.too_large(request, limit)
        if request.method in BODY_METHODS and length and is_json(request):
            try:
                body = request.body
            except RequestDataTooBig:
                return self.too_large(request, limit)
            max_depth = settings.JSON_MAX_DEPTH
            if json_depth_exceeds(body, max_depth):
                return error_response(
                    request,
                    status=400,
                    title="Bad request",
                    detail=json_depth_error(max_depth),
                    code="json_too_deep",
                )
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit: int):
        return error_response(
            request,
            status=413,
            title="Request too large",
            detail=f"The request body is larger than the limit of {limit} bytes.",
            code="request_too_large",
        )


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database, or whose query hit the statement timeout,
    answers 503 with a clear message and a Retry-After; the next request reconnects
    (CONN_HEALTH_CHECKS), so the app recovers by itself once the database is back."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return RequestLimitsMiddleware.too_large(request, settings.REQUEST_MAX_BODY_BYTES)
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        timed_out = "statement timeout" in str(exception) or "lock timeout" in str(exception)
        logger.error(
            "%s %s: database %s: %s",
            request.method,
            request.path,
            "query timed out" if timed_out else "unavailable",
            exception,
        )
        if timed_out:
            detail = (
                "The database took too long to answer and the request was stopped before "
                "it completed. Please try again, or narrow your search."
            )
            code = "query_timeout"
        elif request.method in ("GET", "HEAD", "OPTIONS"):
            detail = (
                "The database is temporarily unavailable, so the request could not be "
                "completed. Please try again in a few seconds."
            )
            code = "database_unavailable"
        else:
            # A change may have been committed just before the database went away (while
            # the answer was being prepared): say so, so that it is not sent twice blindly.
            detail = (
                "The database is temporarily unavailable. If the database went away after "
                "your change was saved, it is kept: check before sending it again in a few "
                "seconds."
            )
            code = "database_unavailable"
        return error_response(
            request,
            status=503,
            title="Temporarily unavailable",
            detail=detail,
            code=code,
            headers={"Retry-After": str(self.RETRY_AFTER_SECONDS)},
        )
