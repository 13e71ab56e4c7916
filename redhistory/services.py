"""Writes to red history records: accession, custody, condition, deaccession and publication.

Every function is keyword-only and atomic, validates with `full_clean()` and raises
ValidationError with one of the messages below (the tests import them).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import user_sees_all_bases
from core.scoping import base_condition

from .models import (
    ACCESSION_PATTERN,
    ACCESSION_PREFIX,
    AccessionCounter,
    Artefact,
    ConditionCheck,
    CustodyEvent,
    OralHistory,
    Release,
)
from .renditions import render_public_recording

MESSAGE_ALREADY_ENTERED = _("This artefact has already entered the collection.")
MESSAGE_DEACCESSIONED = _("This artefact has been deaccessioned; its custody can no longer change.")
MESSAGE_NOT_ENTERED = _("This artefact has not entered the collection yet.")
MESSAGE_BEFORE_LAST_EVENT = _(
    "The date is before the last custody event (%(date)s); record events in order."
)
MESSAGE_KIND_BY_SERVICE = _("Entry and deaccession are recorded by their own steps, not here.")
MESSAGE_DISPLAY_NEEDS_BASE = _("A display needs the education base where the artefact is shown.")
MESSAGE_PLACE_NEEDED = _("Say where the artefact is (a storage place or the borrower).")
MESSAGE_REASON_NEEDED = _("Give the reason for the deaccession.")
MESSAGE_NO_PUBLISH_PERMISSION = _("You may not publish oral histories.")
MESSAGE_NOT_IN_REVIEW = _("Only an oral history in review can be published.")
MESSAGE_NO_PUBLIC_RELEASE = _(
    "Save a release signed for public use before publishing this oral history."
)
MESSAGE_EMBARGOED = _("The release's embargo lasts until %(date)s; publish after that date.")
MESSAGE_DEACCESSIONED_NO_DISPLAY = _(
    "This artefact has left the collection and cannot be put on display."
)
MESSAGE_SECTION_OF_ANOTHER_BASE = _("The exhibition section belongs to another base.")
MESSAGE_ALREADY_THERE = _("The artefact is already on display in this place.")
MESSAGE_BEFORE_CURRENT_EVENT = _(
    "The artefact's current custody began after this date; choose a later date."
)
MESSAGE_NOT_DRAFT = _("Only a draft can be submitted for review.")
MESSAGE_NOT_IN_YOUR_CARE = _(
    "You may put on display only artefacts in store or at one of your bases; this one is "
    "elsewhere (at another base or on loan). Ask the bureau to move it."
)
MESSAGE_NOT_YOUR_BASE = _("You may put artefacts on display only at your own bases.")

# The open event of an artefact in the bureau's store.
IN_STORE = {CustodyEvent.Kind.ENTRY, CustodyEvent.Kind.STORAGE, CustodyEvent.Kind.RETURN}

ENTRY_LOCATION = "市委老干部局库房"


def accession_number_next(*, year):
    """The next accession number of a year (HS-2024-0001 …); a number given is never reused."""
    with transaction.atomic():
        counter, _created = AccessionCounter.objects.select_for_update().get_or_create(year=year)
        counter.last += 1
        # An imported or hand-entered number may already use this one.
        while Artefact.objects.filter(
            accession_number=f"{ACCESSION_PREFIX}-{year}-{counter.last:04d}"
        ).exists():
            counter.last += 1
        counter.save(update_fields=["last"])
    return f"{ACCESSION_PREFIX}-{year}-{counter.last:04d}"


@transaction.atomic
def accession_counter_include(*, number):
    """Moves the year's counter past a number given outside it (an import), so it is never
    given again."""
    match = ACCESSION_PATTERN.match(number or "")
    if not match:
        return
    year, value = int(match.group(1)), int(match.group(2))
    counter, _created = AccessionCounter.objects.select_for_update().get_or_create(year=year)
    if counter.last < value:
        counter.last = value
        counter.save(update_fields=["last"])


def _close_open_events(artefact, on):
    """An artefact is in one place at a time: whatever is open ends when the next event starts."""
    for event in artefact.custody_events.filter(ends_on__isnull=True):
        event.ends_on = on
        event.save(update_fields=["ends_on"])


def _last_event(artefact):
    return artefact.custody_events.order_by("-starts_on", "-pk").first()


@transaction.atomic
def artefact_enter(*, artefact, location=ENTRY_LOCATION, on=None, by=None):
    """Catalogues a new artefact: gives it an accession number (unless it has one) and records
    its entry into the collection as the first custody event."""
    on = on or artefact.acquired_on or timezone.localdate()
    if not artefact.accession_number:
        artefact.accession_number = accession_number_next(year=on.year)
    else:
        accession_counter_include(number=artefact.accession_number)
    artefact.full_clean()
    artefact.save()
    artefact_entry_record(artefact=artefact, on=on, location=location, by=by)
    return artefact


@transaction.atomic
def artefact_entry_record(*, artefact, on=None, location=ENTRY_LOCATION, by=None):
    """Records a numbered, saved artefact's entry into the collection, its first custody event
    (artefact_enter, and the import, which numbers its rows before validating them)."""
    on = on or artefact.acquired_on or timezone.localdate()
    if artefact.custody_events.filter(kind=CustodyEvent.Kind.ENTRY).exists():
        raise ValidationError(MESSAGE_ALREADY_ENTERED, code="entered")
    event = CustodyEvent(
        artefact=artefact,
        kind=CustodyEvent.Kind.ENTRY,
        starts_on=on,
        location=location or ENTRY_LOCATION,
        recorded_by=by,
    )
    event.full_clean()
    event.save()
    return event


def _check_follows(last, on):
    """An event on `on` can follow `last`: the artefact entered the collection, is still in it,
    and the chronology runs forward."""
    if last is None:
        raise ValidationError(MESSAGE_NOT_ENTERED, code="not_entered")
    if last.kind == CustodyEvent.Kind.DEACCESSION:
        raise ValidationError(MESSAGE_DEACCESSIONED, code="deaccessioned")
    if on < last.starts_on:
        raise ValidationError(
            MESSAGE_BEFORE_LAST_EVENT, code="order", params={"date": last.starts_on.isoformat()}
        )


def custody_event_check(*, artefact, kind, on, location="", base=None):
    """Raises ValidationError if the event cannot follow the artefact's chronology."""
    if kind in {CustodyEvent.Kind.ENTRY, CustodyEvent.Kind.DEACCESSION}:
        raise ValidationError(MESSAGE_KIND_BY_SERVICE, code="kind")
    last = _last_event(artefact)
    _check_follows(last, on)
    if kind == CustodyEvent.Kind.DISPLAY and base is None:
        raise ValidationError(MESSAGE_DISPLAY_NEEDS_BASE, code="base")
    if kind in {CustodyEvent.Kind.STORAGE, CustodyEvent.Kind.LOAN_OUT} and not location:
        raise ValidationError(MESSAGE_PLACE_NEEDED, code="location")
    return last


@transaction.atomic
def custody_record(
    *,
    artefact,
    kind,
    on,
    location="",
    base=None,
    section=None,
    ends_on=None,
    note="",
    by=None,
):
    """Adds a storage move, loan out, display or return to an artefact's custody chronology.

    The previous open-ended event is closed on the day the new one starts."""
    artefact = Artefact.objects.select_for_update().get(pk=artefact.pk)
    custody_event_check(artefact=artefact, kind=kind, on=on, location=location, base=base)
    if kind == CustodyEvent.Kind.DISPLAY:
        # One rule for displays, whether started here or from the base's section page.
        return artefact_display(artefact=artefact, base=base, section=section, on=on, by=by)
    _close_open_events(artefact, on)
    event = CustodyEvent(
        artefact=artefact,
        kind=kind,
        starts_on=on,
        ends_on=ends_on,
        location=location,
        base=base,
        section=section,
        note=note,
        recorded_by=by,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def artefact_deaccession(*, artefact, on, reason, by=None):
    """Removes an artefact from the collection by a recorded deaccession (never a deletion)."""
    artefact = Artefact.objects.select_for_update().get(pk=artefact.pk)
    if not (reason or "").strip():
        raise ValidationError(MESSAGE_REASON_NEEDED, code="reason")
    last = _last_event(artefact)
    _check_follows(last, on)
    _close_open_events(artefact, on)
    event = CustodyEvent(
        artefact=artefact,
        kind=CustodyEvent.Kind.DEACCESSION,
        starts_on=on,
        note=reason.strip(),
        recorded_by=by,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def condition_check_record(*, artefact, on, condition, checked_by="", notes=""):
    """Records a condition check; the newest check sets the artefact's condition."""
    check = ConditionCheck(
        artefact=artefact, checked_on=on, condition=condition, checked_by=checked_by, notes=notes
    )
    check.full_clean()
    check.save()
    newest = artefact.condition_checks.order_by("-checked_on", "-pk").first()
    if newest.condition != artefact.condition:
        artefact.condition = newest.condition
        artefact.save(update_fields=["condition"])
    return check


def oral_history_publish_problem(*, story, by, today=None):
    """The reason `by` may not publish `story` now, or None: it must be in review, with a
    release signed for public use saved and its embargo over."""
    today = today or timezone.localdate()
    if not by.has_perm("redhistory.publish_oralhistory"):
        return ValidationError(MESSAGE_NO_PUBLISH_PERMISSION, code="permission")
    if story.status != OralHistory.Status.IN_REVIEW:
        return ValidationError(MESSAGE_NOT_IN_REVIEW, code="status")
    release = Release.objects.filter(oral_history_id=story.pk).first()
    if release is None or release.scope != Release.Scope.PUBLIC:
        return ValidationError(MESSAGE_NO_PUBLIC_RELEASE, code="release")
    if release.embargo_until and release.embargo_until > today:
        return ValidationError(
            MESSAGE_EMBARGOED, code="embargo", params={"date": release.embargo_until.isoformat()}
        )
    return None


def _submit_problem(story):
    if story.status != OralHistory.Status.DRAFT:
        return ValidationError(MESSAGE_NOT_DRAFT, code="status")
    return None


def _withdraw_problem(story, by):
    # Only what is on the public site needs a publisher to take it off; a record in review
    # goes back to draft by whoever may change it.
    if story.status == OralHistory.Status.PUBLISHED and not by.has_perm(
        "redhistory.publish_oralhistory"
    ):
        return ValidationError(MESSAGE_NO_PUBLISH_PERMISSION, code="permission")
    return None


def oral_history_status_problem(*, story, status, by, today=None):
    """The reason `by` may not move `story` (as stored) to `status` now, or None.

    The one state machine of oral histories: draft → in review (submit), in review → published
    (publish), published or in review → draft (withdraw); anything else is refused."""
    if status == story.status:
        return None
    if status == OralHistory.Status.PUBLISHED:
        return oral_history_publish_problem(story=story, by=by, today=today)
    if status == OralHistory.Status.IN_REVIEW:
        return _submit_problem(story)
    return _withdraw_problem(story, by)


@transaction.atomic
def oral_history_status_set(*, story, status, by, today=None):
    """Moves `story` to `status` by the service of that step (the admin's change form)."""
    if status == story.status:
        return story
    if status == OralHistory.Status.PUBLISHED:
        return oral_history_publish(story=story, by=by, today=today)
    if status == OralHistory.Status.IN_REVIEW:
        return oral_history_submit(story=story, by=by)
    return oral_history_withdraw(story=story, by=by)


@transaction.atomic
def oral_history_publish(*, story, by, today=None):
    problem = oral_history_publish_problem(story=story, by=by, today=today)
    if problem is not None:
        raise problem
    story.status = OralHistory.Status.PUBLISHED
    story.published_at = timezone.now()
    story.full_clean()
    story.save()
    if story.segments.filter(restricted=True).exists() and (story.video or story.audio):
        # the recording goes public muted where the narrator withheld a passage (renditions.py)
        transaction.on_commit(lambda: render_public_recording.enqueue(story.pk))
    return story


@transaction.atomic
def oral_history_submit(*, story, by=None):
    """Sends a draft for review by someone who may publish."""
    problem = _submit_problem(story)
    if problem is not None:
        raise problem
    story.status = OralHistory.Status.IN_REVIEW
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def oral_history_withdraw(*, story, by):
    """Takes an oral history back to draft: off the public site, or out of review."""
    problem = _withdraw_problem(story, by)
    if problem is not None:
        raise problem
    story.status = OralHistory.Status.DRAFT
    story.published_at = None
    story.full_clean()
    story.save()
    return story


def loan_summary(today=None):
    """Counts of loans in due back within 30 days and overdue (the artefact list's notice)."""
    today = today or timezone.localdate()
    due = Artefact.objects.loans_due(today)
    return {
        "due": due.filter(loan_due_on__gte=today).count(),
        "overdue": due.filter(loan_due_on__lt=today).count(),
        "today": today,
        "until": today + datetime.timedelta(days=30),
    }


def _check_may_display(by, base, open_events):
    """A base administrator displays at their own bases only what is in store or already at one
    of them: never an artefact on another base's display or out on loan."""
    if by is None or user_sees_all_bases(by):
        return
    if not base.administrators.filter(pk=by.pk).exists():
        raise ValidationError(MESSAGE_NOT_YOUR_BASE, code="not_your_base")
    mine = set(
        CustodyEvent.objects.filter(base_condition(by, "base"))
        .filter(pk__in=[event.pk for event in open_events])
        .values_list("pk", flat=True)
    )
    for event in open_events:
        if event.kind in IN_STORE:
            continue
        if event.kind == CustodyEvent.Kind.DISPLAY and event.pk in mine:
            continue
        raise ValidationError(MESSAGE_NOT_IN_YOUR_CARE, code="not_in_your_care")


@transaction.atomic
def artefact_display(*, artefact, base, section=None, on, by):
    """Puts an artefact on display at a base (and section) from `on`, as `by` (None: the system,
    such as the demo).

    An artefact is in one place at a time: its open custody events (storage, an earlier
    display, …) end on `on`, and a display event begins. A deaccessioned artefact is refused,
    and so is one a base administrator may not move (`_check_may_display`).
    """
    artefact = Artefact.objects.select_for_update().get(pk=artefact.pk)
    events = artefact.custody_events.all()
    if events.filter(kind=CustodyEvent.Kind.DEACCESSION).exists():
        raise ValidationError(MESSAGE_DEACCESSIONED_NO_DISPLAY, code="deaccessioned")
    if section is not None and section.base_id != base.pk:
        raise ValidationError({"section": MESSAGE_SECTION_OF_ANOTHER_BASE}, code="section")
    open_events = list(events.filter(ends_on__isnull=True))
    _check_may_display(by, base, open_events)
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
