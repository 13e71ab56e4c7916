from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedhistoryConfig(AppConfig):
    name = "redhistory"
    verbose_name = _("Red history")
    # The admin's sidebar and index in the order the bureau works (core.admin_site).
    admin_order = [
        "veteran",
        "fieldvisit",
        "rescuecandidate",
        "oralhistory",
        "artefact",
        "microfilm",
    ]
