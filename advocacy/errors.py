"""Django's error views, answering JSON under `/api/`.

DRF turns the API's own exceptions into JSON (`{"detail": ...}`); these catch what reaches
Django's handlers instead (an unexpected exception, a bad Host header, a 404 or 403 raised
outside DRF), so an API client never parses an HTML page.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_api(request):
        return api_error(500, _("Server error: the request was not completed. It is logged."))
    return defaults.server_error(request, template_name)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if is_api(request):
        return api_error(400, _("Bad request."))
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if is_api(request):
        return api_error(403, _("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if is_api(request):
        return api_error(404, _("No such API endpoint."))
    return defaults.page_not_found(request, exception, template_name)
