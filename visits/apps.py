from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from branches.models import Meeting, MeetingAttendance

        from . import signals

        post_save.connect(signals.meeting_saved, sender=Meeting, dispatch_uid="visits_meeting")
        post_save.connect(
            signals.attendance_changed, sender=MeetingAttendance, dispatch_uid="visits_att_save"
        )
        post_delete.connect(
            signals.attendance_changed, sender=MeetingAttendance, dispatch_uid="visits_att_del"
        )
