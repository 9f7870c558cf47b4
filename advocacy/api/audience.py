"""What one request may see of the records related to the ones it asked for.

A serializer shows small summaries of related records (a statement's speaker, event,
addressee). Whether each may be shown is decided by the one visibility rule, the models'
`visible_to(user)` querysets, asked once per request and model for all the ids on a page;
a protected person who is published appears only as the neutral `public_name` label.
Texts are not redacted here: whoever may not view every kind of record reads the public
rows, redacted once when they were built (advocacy.publication).
"""

from collections.abc import Iterable

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from advocacy.api.names import ALIAS_MODELS, CYRILLIC_LANGUAGES, LOCAL_ALIASES, display_name
from advocacy.models import Person
from advocacy.models.base import can_view_drafts

FULL, LABEL, HIDDEN = "full", "label", "hidden"


class Audience:
    """Per-request visibility and URL building for serializers."""

    def __init__(self, request):
        self.request = request
        self.user = getattr(request, "user", None)
        self._sees_all: dict[type[Model], bool] = {}
        self._levels: dict[tuple[type[Model], int], str] = {}
        self._url_templates: dict[str, str | None] = {}
        # Names in the interface languages of the people and groups summarised, read for
        # all of them on first use (advocacy.api.names).
        self._aliases: dict[tuple[type[Model], int], list] = {}
        self._unnamed: dict[type[Model], set[int]] = {}
        self.base = request.build_absolute_uri("/")[:-1] if request is not None else ""

    # Visibility ---------------------------------------------------------------------------

    def sees_all(self, model: type[Model]) -> bool:
        if model not in self._sees_all:
            self._sees_all[model] = can_view_drafts(self.user, model)
        return self._sees_all[model]

    def prime(self, model: type[Model], ids: Iterable[int | None]) -> None:
        """Ask, in one or two queries, which of these related records may be shown."""
        ids = {pk for pk in ids if pk is not None}
        if model in ALIAS_MODELS:
            self._unnamed.setdefault(model, set()).update(
                pk for pk in ids if (model, pk) not in self._aliases
            )
        if self.sees_all(model):
            return
        wanted = {pk for pk in ids if (model, pk) not in self._levels}
        if not wanted:
            return
        full = set(
            model._default_manager.visible_to(self.user)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        labelled: set[int] = set()
        if model is Person:
            # Published but protected: shown by the neutral label only.
            labelled = set(
                Person.objects.filter(
                    Person.objects.published_q(), pk__in=wanted - full
                ).values_list("pk", flat=True)
            )
        for pk in wanted:
            self._levels[(model, pk)] = FULL if pk in full else LABEL if pk in labelled else HIDDEN

    def published(self, obj: Model, summary: dict) -> dict:
        """A shown record's summary as this audience reads it: as the record is now. (The
        public's builder reads a record changed since published as it was published.)"""
        return summary

    def level(self, obj: Model | None) -> str:
        if obj is None:
            return HIDDEN
        model = type(obj)
        if self.sees_all(model):
            return FULL
        key = (model, obj.pk)
        if key not in self._levels:
            self.prime(model, [obj.pk])
        return self._levels[key]

    # Names ----------------------------------------------------------------------------------

    def aliases(self, obj: Model) -> list:
        """A person's or group's names in the Cyrillic interface languages: read in one
        query for it and every record of its kind primed and not read yet."""
        model = type(obj)
        key = (model, obj.pk)
        if key not in self._aliases:
            alias_model, owner = ALIAS_MODELS[model]
            wanted = self._unnamed.pop(model, set()) | {obj.pk}
            found: dict[int, list] = {pk: [] for pk in wanted}
            for alias in alias_model.objects.filter(
                LOCAL_ALIASES, **{f"{owner}__in": wanted}
            ).order_by("script", "name"):
                found[getattr(alias, owner)].append(alias)
            self._aliases.update(((model, pk), names) for pk, names in found.items())
        return self._aliases[key]

    def display_name(self, obj: Model) -> dict:
        """The name a reader of the current language is shown (advocacy.api.names)."""
        language = get_language()
        if (language or "en").split("-")[0] not in CYRILLIC_LANGUAGES:
            return display_name(obj, language, aliases=())
        return display_name(obj, language, aliases=self.aliases(obj))

    # URLs -----------------------------------------------------------------------------------

    def _template(self, name: str, kwarg: str) -> str | None:
        key = f"{name}:{kwarg}"
        if key not in self._url_templates:
            try:
                path = reverse(name, kwargs={kwarg: "0SENTINEL0"})
            except NoReverseMatch:
                path = None
            self._url_templates[key] = path
        return self._url_templates[key]

    def api_url(self, basename: str, pk: int) -> str | None:
        template = self._template(f"api:{basename}-detail", "id_or_slug")
        if template is None:
            template = self._template(f"api:{basename}-detail", "id")
        return self.base + template.replace("0SENTINEL0", str(pk)) if template else None

    def html_url(self, url_name: str, slug: str | None) -> str | None:
        if not slug:
            return None
        template = self._template(url_name, "slug")
        return self.base + template.replace("0SENTINEL0", slug) if template else None
