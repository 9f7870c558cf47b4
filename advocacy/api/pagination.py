"""Two ways to page: numbered pages for people, cursors for scripts walking everything.

`?page=3&page_size=100` gives numbered pages with a `count`. `?pagination=cursor` (or any
`?cursor=`) switches to cursor pages ordered by id, which stay fast however deep they go:
no `COUNT(*)`, no offset, just `WHERE id > last_seen LIMIT n`. Both answer with the same
envelope, `{count?, next, previous, results}`, and a `Link` header.
"""

import re

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from advocacy.caching import kept_count
from advocacy.models.public import PublicRow
from advocacy.publication.counting import PublicCount, count_public

MAX_PAGE_SIZE = 500
# A cursor: an offset (below DRF's cutoff of 1000), a direction, the id it is after (ids fit
# a signed 64-bit integer; 18 digits always do). Not empty.
CURSOR_PATTERN = r"^(o[1-9][0-9]{0,2})?r?(p[0-9]{1,18})?$"
CURSOR_RE = re.compile(
    r"(?=.)(?:o(?P<offset>[1-9][0-9]{0,2}))?(?P<reverse>r)?(?:p(?P<position>[0-9]{1,18}))?",
    re.ASCII,
)
CURSOR, PAGE = "cursor", "page"


# No list has more pages; a larger number is refused as out of range (400), not parsed.
MAX_PAGE = 2**31 - 1


class KeptCountPaginator(Paginator):
    """The count is kept until the data changes: a script reading pages 1, 2, 3… of a
    million statements pays for the `COUNT(*)` once."""

    @cached_property
    def count(self) -> int:
        return kept_count(self.object_list)


class PublicRowsPaginator(Paginator):
    """The public rows: counted exactly up to 10,000, then the planner's estimate
    (advocacy.publication.counting), so a page of a million costs no `COUNT(*)`. Past an
    estimate, a page is what its rows are: one row more than the page is read to know
    whether another page follows, and no page number is refused for lying past the
    estimate, so a script paging to the end misses nothing."""

    @cached_property
    def total(self) -> PublicCount:
        return kept_count(self.object_list, count_public)

    @cached_property
    def count(self) -> int:
        return self.total.value

    def validate_number(self, number):
        if self.total.exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if self.total.exact:
            return super().page(number)
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return EstimatedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class EstimatedPage(Page):
    """A page past an estimated count: whether another follows is known from its rows."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class NumberedPages(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        # Chosen by what is paged: public rows (anonymous readers) are counted up to the
        # limit; the working records (researchers: drafts and full names) exactly.
        self.django_paginator_class = (
            PublicRowsPaginator if issubclass(queryset.model, PublicRow) else KeptCountPaginator
        )
        return super().paginate_queryset(queryset, request, view)

    def count_is_exact(self) -> bool:
        paginator = self.page.paginator
        return not isinstance(paginator, PublicRowsPaginator) or paginator.total.exact


class CursorPages(pagination.CursorPagination):
    # A stable, unique, indexed key: records added during a walk come at its end.
    ordering = ("id",)
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def decode_cursor(self, request):
        """Our cursors are short plain text the schema describes exactly (CURSOR_PATTERN):
        `p123` (after id 123), `rp123` (before it), `o2p123` (an offset past it). DRF's
        base64 ones passed any position on to the query, where `id > 'abc'` was a 500."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        match = CURSOR_RE.fullmatch(encoded)
        if match is None:
            raise ValidationError({self.cursor_query_param: [_("Invalid cursor.")]})
        offset, reverse, position = match.group("offset", "reverse", "position")
        return pagination.Cursor(
            offset=int(offset or 0), reverse=bool(reverse), position=position or None
        )

    def encode_cursor(self, cursor):
        encoded = "".join(
            [
                f"o{cursor.offset}" if cursor.offset else "",
                "r" if cursor.reverse else "",
                f"p{cursor.position}" if cursor.position is not None else "",
            ]
        )
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)


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
            if not self.numbered.count_is_exact():
                body = {"count_exact": False, **body}
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
                    _(
                        "A cursor from a `next` or `previous` link (cursor pagination); "
                        "anything else is a 400."
                    )
                ),
                "schema": {"type": "string", "minLength": 1, "pattern": CURSOR_PATTERN},
            },
        ]
        for parameter in parameters:
            if parameter["name"] == self.numbered.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
                parameter["description"] = str(
                    _("Results per page (default 50, at most %(max)s).") % {"max": MAX_PAGE_SIZE}
                )
            if parameter["name"] == self.numbered.page_query_param:
                # Bounded like every integer the API reads (conformance.INTEGER_RE).
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
        return parameters

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Total results; numbered pages only (absent on cursor pages). "
                    "Exact up to 10,000 public records, else the database's estimate (then "
                    "`count_exact` is false).",
                    "example": 123,
                },
                "count_exact": {
                    "type": "boolean",
                    "description": "Present, and false, when `count` is an estimate: page on "
                    "until `next` is null.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
