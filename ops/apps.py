from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Operations and audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ops import cache

        cache.connect_signals()
