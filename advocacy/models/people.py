"""Groups, people, the names they go by, and who belongs to what."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.choices import (
    AliasKind,
    Country,
    DatePrecision,
    GroupKind,
    GroupRelationKind,
    Language,
    Script,
    Status,
)
from advocacy.models.base import CitedModel, PublishableQuerySet, TimeStampedModel
from advocacy.models.mixins import SearchableModel, SluggedModel

PROTECTED_LABEL = _("a protected person")


class GroupQuerySet(PublishableQuerySet):
    def search(self, query: str):
        from advocacy.search import search_queryset

        return search_queryset(self, query)


class Group(SluggedModel, SearchableModel, CitedModel):
    """An organisation: an advocacy group, a government body, a media outlet."""

    name = models.CharField(max_length=300, help_text=_("The name researchers use in English."))
    kind = models.CharField(max_length=32, choices=GroupKind.choices, db_index=True)
    country = models.CharField(max_length=2, choices=Country.choices, blank=True, db_index=True)
    description = models.TextField(blank=True)
    founded_on = models.DateField(null=True, blank=True)
    founded_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    website = models.URLField(max_length=300, blank=True)
    telegram = models.CharField(max_length=100, blank=True, help_text=_("Telegram channel name."))
    identifiers = GenericRelation("advocacy.ExternalIdentifier")

    objects = GroupQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_group", "Can publish and retract groups"),
            ("merge_group", "Can merge duplicate groups"),
        ]
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "kind"], name="group_status_kind_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("group-detail", kwargs={"slug": self.slug})

    def slug_base(self) -> str:
        return self.name

    def search_texts(self) -> list[str]:
        names = [self.name]
        if self.pk:
            names += [alias.name for alias in self.aliases.all()]
        return names

    @property
    def public_name(self) -> str:
        return self.name


class PersonQuerySet(PublishableQuerySet):
    def public_q(self, prefix: str = "") -> Q:
        # A protected person is never named publicly: not listed, no page of their own.
        return super().public_q(prefix) & Q(**{f"{prefix}is_protected": False})

    def published_q(self, prefix: str = "") -> Q:
        """Published, protected or not: records they take part in may still be shown,
        naming them only by a neutral label."""
        return Q(**{f"{prefix}status": Status.PUBLISHED})

    def search(self, query: str):
        from advocacy.search import search_queryset

        return search_queryset(self, query)


class Person(SluggedModel, SearchableModel, CitedModel):
    name = models.CharField(max_length=200, help_text=_("The name in Latin script."))
    description = models.TextField(blank=True)
    country = models.CharField(max_length=2, choices=Country.choices, blank=True, db_index=True)
    is_protected = models.BooleanField(
        _("protected"),
        default=False,
        db_index=True,
        help_text=_(
            "At risk: never named publicly. Public pages and the API show a neutral label, "
            "and the name is redacted from any source text shown."
        ),
    )
    identifiers = GenericRelation("advocacy.ExternalIdentifier")

    objects = PersonQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_person", "Can publish and retract people"),
            ("merge_person", "Can merge duplicate people"),
            ("protect_person", "Can protect people and lift their protection"),
        ]
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["status", "is_protected"], name="person_visibility_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"slug": self.slug})

    def slug_base(self) -> str:
        return self.name

    def search_texts(self) -> list[str]:
        names = [self.name]
        if self.pk:
            names += [alias.name for alias in self.aliases.all()]
        return names

    @property
    def public_name(self) -> str:
        return str(PROTECTED_LABEL) if self.is_protected else self.name

    def redaction_names(self) -> list[str]:
        """Every name of this person that must not appear in public text."""
        names = {self.name, *self.name.split()[-1:]}
        names.update(alias.name for alias in self.aliases.all())
        return sorted(names, key=len, reverse=True)


class Alias(TimeStampedModel):
    """Another name a person or group is known by, and where it was seen."""

    name = models.CharField(max_length=300)
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)
    script = models.CharField(max_length=4, choices=Script.choices, default=Script.LATIN)
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.SPELLING)
    # PROTECT: the source an alias was seen in is its evidence.
    source = models.ForeignKey(
        "advocacy.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where this name was seen; empty for a researcher's own transliteration."),
    )

    class Meta:
        abstract = True
        ordering = ["script", "name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.owner.refresh_search_key()

    def delete(self, *args, **kwargs):
        owner = self.owner
        result = super().delete(*args, **kwargs)
        owner.refresh_search_key()
        return result

    def get_absolute_url(self) -> str:
        return self.owner.get_absolute_url()


class GroupAlias(Alias):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name = "group alias"
        verbose_name_plural = "group aliases"
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="group_alias_unique_name")
        ]

    @property
    def owner(self) -> Group:
        return self.group


class PersonAlias(Alias):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")

    class Meta(Alias.Meta):
        verbose_name = "person alias"
        verbose_name_plural = "person aliases"
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="person_alias_unique_name")
        ]

    @property
    def owner(self) -> Person:
        return self.person


# The interface languages a role's translation is recorded in (Membership.role_<language>).
ROLE_LANGUAGES = ("en", "ru", "uk")


class MembershipQuerySet(PublishableQuerySet):
    def public(self):
        return self.filter(
            self.public_q()
            & Person.objects.public_q("person__")
            & Group.objects.public_q("group__")
        )


class Membership(CitedModel):
    """A person's role in a group, as printed: "president", "activist with the council"."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=300, help_text=_("The role as the source prints it."))
    # Roles stay as printed (they are quotations of a kind); a translation is shown beside
    # the printed role to readers of its language, never instead of it.
    role_en = models.CharField(
        _("role in English"),
        max_length=300,
        blank=True,
        help_text=_("A translation of the printed role, shown beside it on English pages."),
    )
    role_ru = models.CharField(
        _("role in Russian"),
        max_length=300,
        blank=True,
        help_text=_("A translation of the printed role, shown beside it on Russian pages."),
    )
    role_uk = models.CharField(
        _("role in Ukrainian"),
        max_length=300,
        blank=True,
        help_text=_("A translation of the printed role, shown beside it on Ukrainian pages."),
    )
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    objects = MembershipQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_membership", "Can publish and retract memberships"),
        ]
        ordering = ["group__name", "person__name"]
        constraints = [
            *CitedModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "group", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}, {self.group}"

    def role_in(self, language: str | None) -> str:
        """The role's recorded translation for readers of `language` ("" where none is
        recorded, or where it only repeats the printed role)."""
        language = (language or "").split("-")[0]
        translation = getattr(self, f"role_{language}", "") if language in ROLE_LANGUAGES else ""
        translation = (translation or "").strip()
        return "" if translation.casefold() == self.role.strip().casefold() else translation

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


class GroupRelationQuerySet(PublishableQuerySet):
    def public(self):
        return self.filter(
            self.public_q()
            & Group.objects.public_q("subject__")
            & Group.objects.public_q("object__")
        )


class GroupRelation(CitedModel):
    """How two groups relate: a regional committee is part of a union; a group split off."""

    subject = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=16, choices=GroupRelationKind.choices)
    object = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="inverse_relations")

    objects = GroupRelationQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_grouprelation", "Can publish and retract group relations"),
        ]
        constraints = [
            *CitedModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["subject", "kind", "object"], name="group_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(subject=models.F("object")), name="group_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    def get_absolute_url(self) -> str:
        return self.subject.get_absolute_url()
