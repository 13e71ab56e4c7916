from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Party organisations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from config.roles import sync_roles_after_migrate

        # Keeps the four roles' permissions complete as later migrations add models.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="config.roles.sync")
