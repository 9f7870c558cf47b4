"""A person's or group's name as a reader of one interface language is shown it.

A name recorded in that language (an alias in Cyrillic, for a Russian or Ukrainian reader)
is shown as it is; where none is recorded, a person's Latin name is written in that
alphabet for display only, and marked so (`how: "transliterated"`); otherwise the record's
own name. The same choice is made for the record itself (`display_name` on a person or
group) and wherever another record names it (the summaries in advocacy.api.fields).
"""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from advocacy.api.prefetch import related
from advocacy.models import Group, GroupAlias, Person, PersonAlias
from advocacy.text import to_cyrillic

CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
# Interface languages whose readers are shown a name in Cyrillic.
CYRILLIC_LANGUAGES = ("ru", "uk")
# Which recorded name in the reader's language comes first.
ALIAS_KIND_ORDER = ("original", "translation", "transliteration", "spelling", "abbreviation")
# The aliases a reader's name can be chosen from, and the field naming their owner.
ALIAS_MODELS = {Person: (PersonAlias, "person_id"), Group: (GroupAlias, "group_id")}
# Only these aliases are ever chosen (the prefetched ones are filtered the same way).
LOCAL_ALIASES = Q(language__in=CYRILLIC_LANGUAGES, script="cyrl")


class DisplayNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField(allow_null=True)
    how = serializers.ChoiceField(
        choices=["recorded", "transliterated", "name"],
        help_text=_(
            "recorded: a name the sources give in this language; transliterated: the name "
            "written in this script for display only, nothing being recorded; name: the "
            "record's own name."
        ),
    )


def _kind_rank(alias) -> int:
    return (
        ALIAS_KIND_ORDER.index(alias.kind)
        if alias.kind in ALIAS_KIND_ORDER
        else len(ALIAS_KIND_ORDER)
    )


def display_name(obj, language: str | None, aliases=None) -> dict:
    """The name to show a reader of `language`: a name recorded in it, else (a person's
    Latin name on a Russian or Ukrainian page) the name transliterated, said so.

    `aliases` are the record's aliases where the caller has them (any superset of the
    Cyrillic ones); by default its prefetched or stored ones."""
    language = (language or "en").split("-")[0]
    if language in CYRILLIC_LANGUAGES:
        if aliases is None:
            aliases = related(obj, "aliases")
        recorded = [
            alias for alias in aliases if alias.language == language and alias.script == "cyrl"
        ]
        if recorded:
            best = min(recorded, key=_kind_rank)
            return {"name": best.name, "language": language, "how": "recorded"}
        if isinstance(obj, Person) and not CYRILLIC_LETTER.search(obj.name):
            return {
                "name": to_cyrillic(obj.name, language),
                "language": language,
                "how": "transliterated",
            }
    return {"name": obj.name, "language": None, "how": "name"}
