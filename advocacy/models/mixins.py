"""Slugs and search keys, filled in on save."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.text import search_key, slug_from


class SluggedModel(models.Model):
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Stable URL name, transliterated to Latin; filled in from the name."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            from advocacy.redaction import redact

            # A protected person's name must not end up in a public URL.
            self.slug = self.unique_slug(slug_from(redact(self.slug_base())))
        super().save(*args, **kwargs)

    def slug_base(self) -> str:
        raise NotImplementedError

    def unique_slug(self, base: str) -> str:
        siblings = type(self)._default_manager.exclude(pk=self.pk)
        slug, counter = base, 2
        while siblings.filter(slug=slug).exists():
            slug = f"{base[:90]}-{counter}"
            counter += 1
        return slug


class SearchableModel(models.Model):
    search_key = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Names folded across case, accents and scripts, for search."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_key = search_key(*self.search_texts())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def search_texts(self) -> list[str]:
        """The texts a search should find this record by."""
        raise NotImplementedError

    def refresh_search_key(self) -> None:
        """Recompute the key after related names (aliases, quotations) changed."""
        key = search_key(*self.search_texts())
        if key != self.search_key:
            self.search_key = key
            type(self)._default_manager.filter(pk=self.pk).update(search_key=key)
