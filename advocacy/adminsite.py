"""The admin site: Django's, with its index telling the advocacy groups (records) from the
user groups (permissions). It lives outside advocacy/admin/, which registers on it: importing
that package while the site is being made would register everything on a site thrown away."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class AdvocacyAdminSite(admin.AdminSite):
    # Shown in the index and the navigation sidebar in place of Django's names; the models
    # themselves (and so their migrations) are unchanged.
    app_names = {"auth": _("Users and access")}
    model_names = {("auth", "Group"): _("User groups (permissions)")}

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = self.app_names.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = (app["app_label"], model["object_name"])
                model["name"] = self.model_names.get(key, model["name"])
        return app_list
