"""The portal's admin site: the workbench as its index, apps and models in the bureau's order.

Django sorts the sidebar and the index by name, which in Chinese is by code point (单位 before
党组织). Each portal app lists its models in the order its users work with them
(`AppConfig.admin_order`, model names in lower case); apps follow settings.PORTAL_APPS, then
ops, then Django's and the libraries' apps.
"""

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/core/workbench.html"

    def get_app_list(self, request, app_label=None):
        apps = self._build_app_dict(request, app_label)
        order = [*settings.PORTAL_APPS, "ops"]

        def app_key(app):
            label = app["app_label"]
            return (order.index(label) if label in order else len(order), label)

        result = sorted(apps.values(), key=app_key)
        registered = list(self._registry)
        for app in result:
            wanted = getattr(django_apps.get_app_config(app["app_label"]), "admin_order", [])

            def model_key(entry, wanted=wanted):
                name = entry["model"]._meta.model_name
                rank = wanted.index(name) if name in wanted else len(wanted)
                return (rank, registered.index(entry["model"]))

            app["models"].sort(key=model_key)
        return result


class PortalAdminConfig(AdminConfig):
    default_site = "core.admin_site.PortalAdminSite"


def admin_page_context(request, title):
    """What `admin/portal_page.html` needs to draw the admin's layout (header, user menu,
    log-out, the sidebar of apps) around a page served outside the admin's URLs."""
    from django.contrib.admin import site

    return {**site.each_context(request), "title": title}
