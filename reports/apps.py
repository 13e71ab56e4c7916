from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The yearly report and the figures that span every app (the home page's among them)."""

    name = "reports"
    verbose_name = _("Reports")
