from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The floor every portal app stands on: roles, the scoped admin, images, spreadsheets,
    counties, dates and the demo loader. It has no models of its own."""

    name = "core"
    verbose_name = _("Portal foundations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.roles import sync_roles_after_migrate

        # Keeps the four roles' permissions complete as later migrations add models.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="core.roles.sync")

        from core import workbench

        # Each app's to-dos and shortcuts for the admin index (core.admin_site).
        workbench.autodiscover()
