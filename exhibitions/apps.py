from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = _("Education bases")
    # The admin's sidebar and index in the order the bureau works (core.admin_site).
    admin_order = ["educationbase", "exhibitionsection", "activity"]
