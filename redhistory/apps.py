from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedhistoryConfig(AppConfig):
    name = "redhistory"
    verbose_name = _("Red history")
