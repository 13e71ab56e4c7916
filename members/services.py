"""Writes for members/: keyword-only, atomic, validated before they are saved.

A member's standing changes only here, each change written as a MemberEvent with its date and
who recorded it, so that the roster of any past date can be recomputed (selectors.roster_on).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from branches.models import Organisation

from .models import (
    DuesBase,
    DuesPayment,
    Member,
    MemberEvent,
    base_in_force,
    dues_amount,
    dues_rate,
)

MESSAGE_NOT_YOUR_ORGANISATION = _("You may only record members of your own organisations.")
MESSAGE_NOT_CURRENT = _("This member is no longer on the roster.")
MESSAGE_VOID_NOT_LATEST = _(
    "Only the member's latest change can be voided; void the later ones first."
)
MESSAGE_VOID_ENTRY = _(
    "The member's coming onto the roster cannot be voided; correct the member's record instead."
)
MESSAGE_VOID_REASON = _("Say why the change is voided.")
MESSAGE_NOT_TRANSFERRED_OUT = _("Only a member who transferred out can transfer back in.")
MESSAGE_ALREADY_FULL = _("This member is already a full member.")
MESSAGE_SAME_ORGANISATION = _("The member already belongs to this organisation.")
MESSAGE_BEFORE_LAST_EVENT = _(
    "The member's record already has a change on %(date)s; a new change cannot be earlier."
)
MESSAGE_CONFIRMED_TOO_EARLY = _(
    "A probationary member is confirmed a year after joining at the earliest."
)
MESSAGE_NO_DUES_BASE = _(
    "The member has no monthly dues base; enter it in the member's record first."
)
MESSAGE_PLACE_REQUIRED = _("Enter the organisation the member is transferred to.")


def _check_scope(by, organisation):
    if by is not None and not Organisation.objects.for_user(by).filter(pk=organisation.pk).exists():
        raise ValidationError(MESSAGE_NOT_YOUR_ORGANISATION, code="scope")


def _check_current(member):
    if member.status != Member.Status.CURRENT:
        raise ValidationError(MESSAGE_NOT_CURRENT, code="not_current")


def _check_after_last_event(member, on):
    last = member.events.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    if last is not None and on < last:
        raise ValidationError(
            MESSAGE_BEFORE_LAST_EVENT, code="too_early", params={"date": last.isoformat()}
        )


def _event(member, kind, on, by, **fields):
    event = MemberEvent(member=member, kind=kind, occurred_on=on, recorded_by=by, **fields)
    event.full_clean()
    event.save()
    return event


def _entry_events(member, by, entry=MemberEvent.Kind.JOINED, on=None, place="", note=""):
    """How a new member came onto the roster: the entry, and the confirmation their record
    already has. `entry` is JOINED (on `member.joined_on`) or TRANSFERRED_IN (on `on`)."""
    if entry == MemberEvent.Kind.JOINED or on is None:
        on = member.joined_on
    events = [
        MemberEvent(
            member=member,
            kind=entry,
            occurred_on=on,
            recorded_by=by,
            to_organisation_id=member.organisation_id,
            place=place,
            note=note,
        )
    ]
    if member.confirmed_on and member.confirmed_on >= on:
        events.append(
            MemberEvent(
                member=member,
                kind=MemberEvent.Kind.CONFIRMED,
                occurred_on=member.confirmed_on,
                recorded_by=by,
            )
        )
    return events


@transaction.atomic
def member_create(*, member, by, entry=MemberEvent.Kind.JOINED, on=None, place=""):
    """Registers a new member and writes how they came onto the roster.

    `entry` is JOINED (on `member.joined_on`) or TRANSFERRED_IN (on `on`, from `place`).
    A secretary may register members of their own organisations only.
    """
    _check_scope(by, member.organisation)
    member.status = Member.Status.CURRENT
    member.full_clean()
    member.save()
    events = _entry_events(member, by, entry, on, place)
    for event in events:
        event.full_clean()
        event.save()
    if member.dues_base is not None:
        # The base the record starts with, from the month the member came onto the roster.
        DuesBase.objects.create(
            member=member, base=member.dues_base, since=events[0].occurred_on, recorded_by=by
        )
    return member


@transaction.atomic
def member_create_many(*, members, by, note="", batch_size=1000):
    """Registers members who joined the Party in their organisations, a batch in a few queries
    (a spreadsheet import): each with its history row and the entry events member_create writes.

    The members are validated by the caller (the import checks every row, and the database's
    constraints hold); a secretary may register members of their own organisations only.
    """
    organisation_ids = {member.organisation_id for member in members}
    if by is not None and Organisation.objects.for_user(by).filter(
        pk__in=organisation_ids
    ).count() != len(organisation_ids):
        raise ValidationError(MESSAGE_NOT_YOUR_ORGANISATION, code="scope")
    for member in members:
        member.status = Member.Status.CURRENT
    created = bulk_create_with_history(
        members, Member, batch_size=batch_size, default_user=by, default_change_reason=note
    )
    MemberEvent.objects.bulk_create(
        event for member in created for event in _entry_events(member, by, note=note)
    )
    return created


@transaction.atomic
def member_confirm(*, member, on, by):
    """Confirms a probationary member as a full member (转正) from `on`."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_current(member)
    if member.category == Member.Category.FULL:
        raise ValidationError(MESSAGE_ALREADY_FULL, code="already_full")
    if on < member.probation_ends_on:
        raise ValidationError(MESSAGE_CONFIRMED_TOO_EARLY, code="too_early")
    _check_after_last_event(member, on)
    member.category = Member.Category.FULL
    member.confirmed_on = on
    member.full_clean()
    member.save()
    return _event(member, MemberEvent.Kind.CONFIRMED, on, by)


@transaction.atomic
def member_move(*, member, to_organisation, on, by, note=""):
    """Moves a member to another organisation of the bureau (支部间调动) from `on`.

    The one way a member changes organisation: the move is an event, so the rosters of both
    organisations before `on` stay as they were. A secretary may move members only between
    organisations they keep.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_current(member)
    _check_scope(by, member.organisation)
    _check_scope(by, to_organisation)
    if member.organisation_id == to_organisation.pk:
        raise ValidationError(MESSAGE_SAME_ORGANISATION, code="same")
    _check_after_last_event(member, on)
    from_organisation = member.organisation
    member.organisation = to_organisation
    member.save()
    return _event(
        member,
        MemberEvent.Kind.MOVED,
        on,
        by,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        note=note,
    )


@transaction.atomic
def member_leave(*, member, kind, on, by, place="", note=""):
    """Takes a member off the roster (transferred out or deceased); the record stays, in the
    history register (历史党员)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_current(member)
    _check_scope(by, member.organisation)
    _check_after_last_event(member, on)
    if kind == MemberEvent.Kind.TRANSFERRED_OUT:
        if not place.strip():
            raise ValidationError({"place": MESSAGE_PLACE_REQUIRED}, code="place")
        member.status = Member.Status.TRANSFERRED_OUT
    elif kind == MemberEvent.Kind.DECEASED:
        member.status = Member.Status.DECEASED
    else:
        raise ValueError(f"not a way of leaving the roster: {kind}")
    member.save()
    return _event(
        member, kind, on, by, from_organisation=member.organisation, place=place, note=note
    )


@transaction.atomic
def member_return(*, member, to_organisation, on, by, place="", note=""):
    """A member who transferred out transfers back in (组织关系转回) under the same record: a
    `transferred_in` event from `place` into `to_organisation`, so the roster of any date between
    leaving and returning still leaves them out."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.TRANSFERRED_OUT:
        raise ValidationError(MESSAGE_NOT_TRANSFERRED_OUT, code="not_transferred_out")
    _check_scope(by, to_organisation)
    _check_after_last_event(member, on)
    member.status = Member.Status.CURRENT
    member.organisation = to_organisation
    member.save()
    return _event(
        member,
        MemberEvent.Kind.TRANSFERRED_IN,
        on,
        by,
        to_organisation=to_organisation,
        place=place,
        note=note,
    )


@transaction.atomic
def member_event_void(*, event, reason, by):
    """Voids the member's latest change of standing, wrongly recorded: the event stays in the
    history with the reason and who voided it, the member's record goes back to what it was
    before it, and no roster of any date counts it any more."""
    member = Member.objects.select_for_update().get(pk=event.member_id)
    _check_scope(by, member.organisation)
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_VOID_REASON}, code="reason")
    events = list(member.events.order_by("-occurred_on", "-pk"))
    if not events or events[0].pk != event.pk:
        raise ValidationError(MESSAGE_VOID_NOT_LATEST, code="not_latest")
    earlier = events[1:]
    Kind = MemberEvent.Kind
    if event.kind in MemberEvent.ENTRIES and not any(e.kind in MemberEvent.EXITS for e in earlier):
        raise ValidationError(MESSAGE_VOID_ENTRY, code="entry")
    if event.kind == Kind.CONFIRMED:
        member.category = Member.Category.PROBATIONARY
        member.confirmed_on = None
    elif event.kind == Kind.MOVED:
        member.organisation = event.from_organisation
    elif event.kind in MemberEvent.EXITS:
        member.status = Member.Status.CURRENT
    elif event.kind == Kind.TRANSFERRED_IN:  # a return (组织关系转回): out again
        exit_event = next(e for e in earlier if e.kind in MemberEvent.EXITS)
        member.status = Member.Status(exit_event.kind)
        member.organisation = exit_event.from_organisation or member.organisation
    member._change_reason = gettext("change voided: %(reason)s") % {"reason": reason}
    member.save()
    event.voided_at = timezone.now()
    event.void_reason = reason
    event.voided_by = by
    event.save(update_fields=["voided_at", "void_reason", "voided_by"])
    return event


def dues_base_on(*, member, year, month):
    """The member's dues base in force in a month (members.models.base_in_force)."""
    return base_in_force(list(member.dues_bases.all()), year, month, member.dues_base)


def dues_check(*, member, year, month):
    """The member's dues base in force in a month; ValidationError if there is none on record."""
    base = dues_base_on(member=member, year=year, month=month)
    if base is None:
        raise ValidationError(MESSAGE_NO_DUES_BASE, code="no_base")
    return base


@transaction.atomic
def dues_record(*, member, year, month, paid_on, by, amount=None):
    """Records a month's dues of a member, at the rate the rules give for the base in force
    that month; the amount is computed from them unless `amount` (what was actually paid) is
    given."""
    _check_scope(by, member.organisation)
    base = dues_check(member=member, year=year, month=month)
    rate = dues_rate(member.employment, base)
    payment = DuesPayment(
        member=member,
        year=year,
        month=month,
        base=base,
        rate=rate,
        amount=dues_amount(base, rate) if amount is None else amount,
        paid_on=paid_on,
        recorded_by=by,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def dues_record_months(*, member, year, months, paid_on, by):
    """Several months of a member's dues paid at once (a quarter, a year in advance): a
    payment per month through dues_record, each at the base in force that month."""
    return [
        dues_record(member=member, year=year, month=month, paid_on=paid_on, by=by)
        for month in sorted(set(months))
    ]


@transaction.atomic
def dues_base_record(*, member, base, since, by, note=""):
    """Records a member's dues base from `since`'s month on, keeping the earlier ones: past
    months stay priced at the base in force then. The member's current base (`dues_base`, what
    the forms show) becomes the one in force today."""
    _check_scope(by, member.organisation)
    row = DuesBase(member=member, base=base, since=since, note=note, recorded_by=by)
    row.full_clean()
    row.save()
    today = datetime.date.today()
    current = dues_base_on(member=member, year=today.year, month=today.month)
    if current != member.dues_base:
        member.dues_base = current
        member._change_reason = gettext("dues base recorded")
        member.save(update_fields=["dues_base"])
    return row
