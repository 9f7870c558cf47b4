"""Atom feed of newly published statements, for everyone or for one group.

Feeds are public whoever asks: they read through the selectors with no user, so a
researcher's feed reader never receives a draft.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from advocacy.redaction import protected_names, redact
from advocacy.selectors import group_list, membership_list, statement_list
from advocacy.views.presentation import statement_title

FEED_LENGTH = 50


class FeedContext:
    def __init__(self, group, names):
        self.group = group
        self.names = names


class StatementFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, group=None):
        found = get_object_or_404(group_list(user=None), slug=group) if group else None
        return FeedContext(found, protected_names())

    def title(self, obj):
        if obj.group:
            return _("%(site)s: statements by %(group)s and its members") % {
                "site": settings.SITE_NAME,
                "group": obj.group.name,
            }
        return _("%(site)s: new statements") % {"site": settings.SITE_NAME}

    def link(self, obj):
        url = reverse("statement-list")
        return f"{url}?group={obj.group.slug}" if obj.group else url

    def subtitle(self, obj):
        return _("Newly published statements, each with its quotations and sources.")

    def feed_url(self, obj):
        if obj.group:
            return reverse("group-statement-feed", kwargs={"group": obj.group.slug})
        return reverse("statement-feed")

    def items(self, obj):
        statements = statement_list(user=None)
        if obj.group:
            members = membership_list(user=None).filter(group=obj.group).values("person")
            statements = statements.filter(
                Q(speaker_group=obj.group) | Q(speaker_person__in=members)
            )
        items = list(statements.order_by("-updated_at", "-pk")[:FEED_LENGTH])
        for item in items:
            item.feed_names = obj.names
        return items

    def item_title(self, item):
        return statement_title(item, item.feed_names)

    def item_description(self, item):
        lines = []
        for quotation in item.quotations.all():
            lines.append(
                f"“{redact(quotation.text, item.feed_names)}” — "
                f"{quotation.source.publisher}, {quotation.source.title}"
            )
        if item.summary:
            lines.append(redact(item.summary, item.feed_names))
        return "\n\n".join(lines)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.speaker.public_name if item.speaker else None
