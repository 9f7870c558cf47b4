"""Protection in the admin: an editor's decision, a researcher's request.

Editors (`protect_person`) tick or untick `is_protected` on the change form; unticking it
asks for a reason, kept in the history. For everyone else the field is read-only on an
existing person, and the "Request protection" action hides the selected people at once,
leaving the decision to an editor (advocacy.services.protection).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from advocacy.services import protection


class ProtectionForm(forms.ModelForm):
    protection_reason = forms.CharField(
        label=_("Reason for lifting the protection"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when unticking “protected”: kept in the history."),
    )

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is not None and "is_protected" in cleaned:
            was_protected = type(instance)._default_manager.get(pk=instance.pk).is_protected
            lifted = was_protected and not cleaned["is_protected"]
            if lifted and not (cleaned.get("protection_reason") or "").strip():
                raise ValidationError(
                    {"protection_reason": _("Give the reason for lifting the protection.")}
                )
        return cleaned


class ProtectionAdminMixin:
    """For PersonAdmin."""

    def has_protect_permission(self, request, obj=None) -> bool:
        return protection.user_can_protect(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_protect_permission(request, obj):
            fields.append("is_protected")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self.has_protect_permission(request, obj):
            base = kwargs.get("form") or self.form
            if not issubclass(base, ProtectionForm):
                kwargs["form"] = type(f"Protection{base.__name__}", (ProtectionForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_protect_permission(request, obj):
            fieldsets = [*fieldsets]
            first = fieldsets[0][1]
            fieldsets[0] = (
                fieldsets[0][0],
                {**first, "fields": [*first["fields"], "protection_reason"]},
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        reason = ""
        if change and "is_protected" in form.changed_data:
            if not self.has_protect_permission(request, obj):
                raise PermissionDenied
            reason = (form.cleaned_data.get("protection_reason") or "").strip()
            reason = reason or "Protected by an editor."
            obj._change_reason = reason
        super().save_model(request, obj, form, change)
        if reason:
            protection.log_protection_change(
                person=obj, user=request.user, protected=obj.is_protected, reason=reason
            )

    @admin.action(
        description=_("Request protection: hide the selected people now, an editor decides"),
        permissions=["change"],
    )
    def request_protection(self, request, queryset):
        hidden = 0
        for person in queryset:
            if not person.is_protected:
                protection.person_request_protection(person=person, user=request.user)
                hidden += 1
        self.message_user(
            request,
            _("%(count)d hidden at once; an editor will decide whether protection stays.")
            % {"count": hidden},
            messages.SUCCESS,
        )
