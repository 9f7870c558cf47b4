"""Two ways to page: numbered pages for people, cursors for scripts walking everything.

`?page=3&page_size=100` gives numbered pages with a `count`. `?pagination=cursor` (or any
`?cursor=`) switches to cursor pages ordered by id, which stay fast however deep they go:
no `COUNT(*)`, no offset, just `WHERE id > last_seen LIMIT n`. Both answer with the same
envelope, `{count?, next, previous, results}`, and a `Link` header.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from advocacy.caching import kept_count

MAX_PAGE_SIZE = 500
# Ids fit a signed 64-bit integer; 18 digits always do.
MAX_ID_DIGITS = 18
CURSOR, PAGE = "cursor", "page"


class KeptCountPaginator(Paginator):
    """The count is kept until the data changes: a script reading pages 1, 2, 3… of a
    million statements pays for the `COUNT(*)` once."""

    @cached_property
    def count(self) -> int:
        return kept_count(self.object_list)


class NumberedPages(pagination.PageNumberPagination):
    django_paginator_class = KeptCountPaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class CursorPages(pagination.CursorPagination):
    # A stable, unique, indexed key: records added during a walk come at its end.
    ordering = ("id",)
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise self.invalid() from error
        # DRF checks the offset and direction but passes any position on to the query,
        # where `id > 'abc'` is a 500: the position is an id, or nothing.
        position = None if cursor is None else cursor.position
        if position is not None and not (
            position.isascii() and position.isdigit() and len(position) <= MAX_ID_DIGITS
        ):
            raise self.invalid()
        return cursor

    def invalid(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [_("Invalid cursor.")]})


class HybridPagination(pagination.BasePagination):
    """Numbered pages by default; cursor pages on `?pagination=cursor` or `?cursor=`."""

    mode_query_param = "pagination"

    def __init__(self):
        self.numbered = NumberedPages()
        self.cursor = CursorPages()
        self.active = self.numbered

    def mode(self, request) -> str:
        value = request.query_params.get(self.mode_query_param)
        if value not in (None, "", CURSOR, PAGE):
            raise ValidationError(
                {self.mode_query_param: [_('Choose "page" (the default) or "cursor".')]}
            )
        if value == CURSOR or self.cursor.cursor_query_param in request.query_params:
            return CURSOR
        return PAGE

    def paginate_queryset(self, queryset, request, view=None):
        self.active = self.cursor if self.mode(request) == CURSOR else self.numbered
        return self.active.paginate_queryset(queryset, request, view)

    def get_next_link(self):
        return self.active.get_next_link()

    def get_previous_link(self):
        return self.active.get_previous_link()

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        if self.active is self.numbered:
            body = {"count": self.numbered.page.paginator.count, **body}
        body["results"] = data
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in body.items()
            if rel in {"next", "previous"} and url
        ]
        headers = (
            {"Link": ", ".join(links).replace('rel="previous"', 'rel="prev"')} if links else None
        )
        return Response(body, headers=headers)

    def get_schema_operation_parameters(self, view):
        parameters = [
            *self.numbered.get_schema_operation_parameters(view),
            {
                "name": self.mode_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "page (default): numbered pages with a count. cursor: pages ordered by "
                        "id, followed by their `next` links, fast at any depth; the `ordering` "
                        "filter does not apply to them."
                    )
                ),
                "schema": {"type": "string", "enum": [PAGE, CURSOR]},
            },
            {
                "name": self.cursor.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("An opaque cursor from a `next` or `previous` link (cursor pagination).")
                ),
                "schema": {"type": "string"},
            },
        ]
        for parameter in parameters:
            if parameter["name"] == self.numbered.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
                parameter["description"] = str(
                    _("Results per page (default 50, at most %(max)s).") % {"max": MAX_PAGE_SIZE}
                )
            if parameter["name"] == self.numbered.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Total results; numbered pages only (absent on cursor pages).",
                    "example": 123,
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
