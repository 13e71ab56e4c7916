from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")
    # The admin's sidebar and index in the order the bureau works (core.admin_site).
    admin_order = ["booking", "visit", "closure"]

    def ready(self):
        from branches.signals import meeting_recorded

        from . import signals, summary

        summary.connect()
        meeting_recorded.connect(signals.meeting_recorded, dispatch_uid="visits_meeting")
