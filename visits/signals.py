"""A meeting held at a base counts as a visit without being typed twice (see
services.sync_meeting_visit), brought in step once per save of the meeting and its attendance
(branches.signals.meeting_recorded). Deleting a meeting deletes its Visit by cascade."""

from .services import sync_meeting_visit


def meeting_recorded(sender, meeting, **kwargs):
    sync_meeting_visit(meeting)
