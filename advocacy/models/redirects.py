from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SlugRedirect(models.Model):
    """An old slug that now points at another record (after a merge or a rename)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    old_slug = models.SlugField(max_length=100)
    object_id = models.PositiveBigIntegerField(help_text=_("The record the old slug leads to."))
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "old_slug"], name="slug_redirect_unique_old_slug"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}/{self.old_slug} → {self.object_id}"

    def get_absolute_url(self) -> str:
        return self.target.get_absolute_url()
