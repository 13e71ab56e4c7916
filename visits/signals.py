"""A meeting held at a base counts as a visit without being typed twice (see
services.sync_meeting_visit). Deleting a meeting deletes its Visit by cascade."""

from branches.models import Meeting

from .services import sync_meeting_visit


def meeting_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    sync_meeting_visit(instance)


def attendance_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw:
        return
    # The whole meeting is being deleted: its Visit goes with it, nothing to recount.
    if isinstance(origin, Meeting) or getattr(origin, "model", None) is Meeting:
        return
    sync_meeting_visit(Meeting(pk=instance.meeting_id))
