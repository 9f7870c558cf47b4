"""Atom feed of published statements, for everyone or for one group, read from the public
rows only (advocacy.publication): what they say is already redacted, and a researcher's
feed reader never receives a draft."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from advocacy.publication.reading import (
    document_title,
    public_rows,
    recorded_name,
    row_with_slug,
)

FEED_LENGTH = 50


class StatementFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, group=None):
        if group is None:
            return None
        found = row_with_slug(public_rows("group"), group)
        if found is None:
            raise Http404(_("No such group."))
        return found.document

    def title(self, group):
        if group:
            return _("%(site)s: statements by %(group)s and its members") % {
                "site": settings.SITE_NAME,
                "group": recorded_name(group),
            }
        return _("%(site)s: new statements") % {"site": settings.SITE_NAME}

    def link(self, group):
        url = reverse("statement-list")
        return f"{url}?group={group['slug']}" if group else url

    def subtitle(self, group):
        return _("Newly published statements, each with its quotations and sources.")

    def feed_url(self, group):
        if group:
            return reverse("group-statement-feed", kwargs={"group": group["slug"]})
        return reverse("statement-feed")

    def items(self, group):
        rows = public_rows("statement", pages=True)
        if group:
            rows = rows.filter(facets__has=f"group:{group['slug']}")
        # A corrected statement comes up again, with its corrections.
        return [
            {**row.document, "changes": row.page.get("changes", [])}
            for row in rows.order_by("-updated_at", "-pk")[:FEED_LENGTH]
        ]

    def item_title(self, item):
        return document_title(item)

    def item_description(self, item):
        lines = [
            f"“{quotation['text']}” — {quotation['source']['publisher']}, "
            f"{quotation['source']['title']}"
            for quotation in item["quotations"]
        ]
        if item["summary"]:
            lines.append(item["summary"])
        corrections = item["changes"][:-1]  # all but its first publication
        if corrections:
            lines.append(
                _("Changes: %(changes)s")
                % {
                    "changes": " ".join(
                        f"{entry['date']}: {' '.join(entry['changes'])}" for entry in corrections
                    )
                }
            )
        return "\n\n".join(lines)

    def item_link(self, item):
        return urlsplit(item["html_url"]).path

    def item_pubdate(self, item):
        return parse_datetime(item["created_at"])

    def item_updateddate(self, item):
        return parse_datetime(item["updated_at"])

    def item_author_name(self, item):
        return recorded_name(item.get("speaker")) or None
