"""Writes for exhibitions/: keyword-only, atomic, validated before they are saved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from redhistory.models import Artefact, CustodyEvent

from .models import Activity

MESSAGE_DEACCESSIONED = _("This artefact has left the collection and cannot be put on display.")
MESSAGE_SECTION_OF_ANOTHER_BASE = _("The exhibition section belongs to another base.")
MESSAGE_ALREADY_THERE = _("The artefact is already on display in this place.")
MESSAGE_BEFORE_CURRENT_EVENT = _(
    "The artefact's current custody began after this date; choose a later date."
)


@transaction.atomic
def artefact_display(*, artefact, base, section=None, on):
    """Puts an artefact on display at a base (and section) from `on`.

    An artefact is in one place at a time: its open custody events (storage, an earlier
    display, …) end on `on`, and a display event begins. A deaccessioned artefact is refused.
    """
    artefact = Artefact.objects.select_for_update().get(pk=artefact.pk)
    events = artefact.custody_events.all()
    if events.filter(kind=CustodyEvent.Kind.DEACCESSION).exists():
        raise ValidationError(MESSAGE_DEACCESSIONED, code="deaccessioned")
    if section is not None and section.base_id != base.pk:
        raise ValidationError({"section": MESSAGE_SECTION_OF_ANOTHER_BASE}, code="section")
    open_events = list(events.filter(ends_on__isnull=True))
    for event in open_events:
        if (
            event.kind == CustodyEvent.Kind.DISPLAY
            and event.base_id == base.pk
            and event.section_id == (section.pk if section else None)
        ):
            raise ValidationError(MESSAGE_ALREADY_THERE, code="already_there")
        if event.starts_on > on:
            raise ValidationError(MESSAGE_BEFORE_CURRENT_EVENT, code="too_early")
    for event in open_events:
        event.ends_on = on
        event.full_clean()
        event.save()
    display = CustodyEvent(
        artefact=artefact,
        kind=CustodyEvent.Kind.DISPLAY,
        starts_on=on,
        base=base,
        section=section,
        location=str(section or base)[:200],
    )
    display.full_clean()
    display.save()
    return display


def activities_ensure():
    """The six activities, created if missing (a flushed test database has lost the seed)."""
    activities = {}
    for order, code in enumerate(Activity.Code.values, start=1):
        activities[code], _created = Activity.objects.get_or_create(
            code=code, defaults={"order": order}
        )
    return activities
