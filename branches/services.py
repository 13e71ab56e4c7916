"""Writes for branches/: keyword-only, atomic, validated before they are saved."""

from django.apps import apps
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from . import signals
from .models import AttendanceExemption, Meeting, MeetingAttendance


@transaction.atomic
def meeting_fill_attendance(*, meeting, by=None):
    """Puts every current member of the meeting's organisation on its attendance list.

    Members with an exemption in force on the day are marked excused with its reason (they do
    not count in 应到会人数); the rest are present until the secretary marks them absent.
    Members already on the list are left as they are. Returns the number of rows added.
    The rows are written in a few queries whatever the organisation's size, with their history.
    """
    Member = apps.get_model("members", "Member")
    members = Member.objects.current().filter(organisation=meeting.organisation_id)
    listed = set(meeting.attendances.values_list("member_id", flat=True))
    exemptions = {}
    for exemption in AttendanceExemption.objects.in_force(meeting.held_on).filter(
        member__in=members
    ):
        exemptions.setdefault(exemption.member_id, exemption)
    rows = []
    for member in members.exclude(pk__in=listed):
        exemption = exemptions.get(member.pk)
        attendance = MeetingAttendance(meeting=meeting, member=member)
        if exemption is not None:
            attendance.status = MeetingAttendance.Status.EXCUSED
            attendance.reason = exemption.reason_text()
        # Members not yet listed, read from the organisation: unique and in it by construction.
        attendance.full_clean(
            exclude=["meeting", "member"], validate_unique=False, validate_constraints=False
        )
        rows.append(attendance)
    bulk_create_with_history(rows, MeetingAttendance, default_user=by)
    return len(rows)


def meeting_recorded(*, meeting):
    """Tells the apps that count meetings (visits/) that the meeting and its attendance are
    written: call it once per save of a meeting, after its attendance."""
    signals.meeting_recorded.send(sender=Meeting, meeting=meeting)
