"""Writes for branches/: keyword-only, atomic, validated before they are saved."""

from django.apps import apps
from django.db import transaction

from .models import AttendanceExemption, MeetingAttendance


@transaction.atomic
def meeting_fill_attendance(*, meeting):
    """Puts every current member of the meeting's organisation on its attendance list.

    Members with an exemption in force on the day are marked excused with its reason (they do
    not count in 应到会人数); the rest are present until the secretary marks them absent.
    Members already on the list are left as they are. Returns the number of rows added.
    """
    Member = apps.get_model("members", "Member")
    members = Member.objects.current().filter(organisation=meeting.organisation_id)
    listed = set(meeting.attendances.values_list("member_id", flat=True))
    exemptions = {}
    for exemption in AttendanceExemption.objects.in_force(meeting.held_on).filter(
        member__in=members
    ):
        exemptions.setdefault(exemption.member_id, exemption)
    added = 0
    for member in members.exclude(pk__in=listed):
        exemption = exemptions.get(member.pk)
        attendance = MeetingAttendance(meeting=meeting, member=member)
        if exemption is not None:
            attendance.status = MeetingAttendance.Status.EXCUSED
            attendance.reason = exemption.reason_text()
        attendance.full_clean()
        attendance.save()
        added += 1
    return added
