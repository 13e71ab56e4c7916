"""Writes for visits/: keyword-only, atomic, validated before they are saved."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitions.models import Activity, EducationBase

from .models import Booking, Visit, normalise_phone

# How far ahead a booking may be made, and how soon: the base needs a day to answer.
BOOKING_DAYS_AHEAD = 90
BOOKING_MIN_DAYS_AHEAD = 1

MESSAGE_BASE_NOT_BOOKABLE = _("This base is not taking bookings at present.")
MESSAGE_DATE_TOO_SOON = _("Book at least one day ahead; for today, please call the base.")
MESSAGE_DATE_TOO_FAR = _("Bookings open %(days)s days ahead; choose an earlier date.")
MESSAGE_BASE_CLOSED = _("The base is closed on that day; it is open on %(days)s.")
MESSAGE_SLOT_FULL = _(
    "Only %(left)s places are left in this time slot; choose another slot or date, "
    "or come with fewer people."
)
MESSAGE_ACTIVITY_NOT_OFFERED = _("This base does not offer: %(activities)s.")
MESSAGE_NOT_PENDING = _("Only a booking awaiting approval can be approved or rejected.")
MESSAGE_NOT_OPEN = _("This booking is already %(status)s and cannot be changed.")
MESSAGE_NOT_APPROVED = _("Only an approved booking can be recorded as a visit.")
MESSAGE_VISIT_IN_FUTURE = _("The visit is on %(date)s; record it on or after that day.")
MESSAGE_REASON_REQUIRED = _("Give the reason; the visitor will read it.")

# Visitors read and type the code: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8

# Which activity a meeting of organisational life counts as when held at a base.
MEETING_ACTIVITIES = {
    "themed_day": Activity.Code.THEMED_DAY,
    "party_lecture": Activity.Code.LECTURE,
    "general_meeting": Activity.Code.VISIT,
    "committee_meeting": Activity.Code.VISIT,
    "group_meeting": Activity.Code.VISIT,
    "life_meeting": Activity.Code.VISIT,
    "appraisal": Activity.Code.VISIT,
}


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_LENGTH))


def slot_places_left(*, base, on, slot, exclude=None):
    """Places left in a base's slot: its capacity less the bookings that hold places."""
    taken = Booking.objects.holding_places().filter(base=base, visit_on=on, slot=slot)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    used = taken.aggregate(total=Sum("headcount"))["total"] or 0
    return max(base.capacity_per_slot - used, 0)


def check_booking_places(booking, *, visit_on, slot, headcount):
    """For staff changing an open booking's day, slot or headcount in the admin (the public form
    checks when it books): refuses a change that would hold more places than the slot has left."""
    if booking.status not in (Booking.Status.PENDING, Booking.Status.APPROVED):
        return
    with transaction.atomic():
        # As booking_create does: the base's row locked while places are counted, until the
        # admin's change (whose transaction this joins) commits.
        base = EducationBase.objects.select_for_update().get(pk=booking.base_id)
        left = slot_places_left(base=base, on=visit_on, slot=slot, exclude=booking)
    if headcount > left:
        raise ValidationError(
            {"headcount": ValidationError(MESSAGE_SLOT_FULL, params={"left": left})},
            code="full",
        )


def _check_date(base, on, today):
    if on < today + datetime.timedelta(days=BOOKING_MIN_DAYS_AHEAD):
        raise ValidationError({"visit_on": MESSAGE_DATE_TOO_SOON}, code="too_soon")
    if on > today + datetime.timedelta(days=BOOKING_DAYS_AHEAD):
        raise ValidationError(
            {"visit_on": ValidationError(MESSAGE_DATE_TOO_FAR, params={"days": BOOKING_DAYS_AHEAD})}
        )
    if not base.is_open_on(on):
        days = "、".join(str(label) for label in base.open_weekday_labels())
        raise ValidationError(
            {"visit_on": ValidationError(MESSAGE_BASE_CLOSED, params={"days": days})},
            code="closed",
        )


def _check_activities(base, activities):
    offered = set(base.activities.values_list("pk", flat=True))
    missing = [str(activity) for activity in activities if activity.pk not in offered]
    if missing:
        raise ValidationError(
            {
                "activities": ValidationError(
                    MESSAGE_ACTIVITY_NOT_OFFERED, params={"activities": "、".join(missing)}
                )
            }
        )


@transaction.atomic
def booking_create(
    *,
    base,
    visit_on,
    slot,
    group_name,
    contact_name,
    phone,
    headcount,
    category,
    activities=(),
    purpose="",
    token=None,
    today=None,
):
    """Records a visitor's booking, awaiting approval; returns (booking, created).

    The same idempotency token twice returns the first booking (a double tap, a reload after
    sending) instead of booking again. The base's row is locked while places are counted, so
    two requests for the last places cannot both succeed.
    """
    if token is not None:
        existing = Booking.objects.filter(idempotency_token=token).first()
        if existing is not None:
            return existing, False
    base = EducationBase.objects.select_for_update().get(pk=base.pk)
    if not base.bookings_open or not EducationBase.objects.public().filter(pk=base.pk).exists():
        raise ValidationError(MESSAGE_BASE_NOT_BOOKABLE, code="not_bookable")
    _check_date(base, visit_on, today or timezone.localdate())
    activities = list(activities)
    _check_activities(base, activities)
    booking = Booking(
        base=base,
        visit_on=visit_on,
        slot=slot,
        group_name=group_name.strip(),
        contact_name=contact_name.strip(),
        phone=normalise_phone(phone),
        headcount=headcount,
        category=category,
        purpose=purpose.strip(),
        idempotency_token=token,
        reference=new_reference(),
    )
    booking.full_clean(exclude=["reference"])
    left = slot_places_left(base=base, on=visit_on, slot=slot)
    if headcount > left:
        raise ValidationError(
            {"headcount": ValidationError(MESSAGE_SLOT_FULL, params={"left": left})},
            code="full",
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                booking.save()
            break
        except IntegrityError:
            # A reference clash (one in a trillion) or the same token sent twice at once.
            if token is not None and Booking.objects.filter(idempotency_token=token).exists():
                return Booking.objects.get(idempotency_token=token), False
            booking.reference = new_reference()
    booking.activities.set(activities)
    return booking, True


def _lock(booking):
    return Booking.objects.select_for_update().get(pk=booking.pk)


def _decide(booking, status, by, reason=""):
    booking.status = status
    booking.reason = reason
    booking.decided_by = by
    booking.decided_at = timezone.now()
    booking.full_clean()
    booking.save()
    return booking


@transaction.atomic
def booking_approve(*, booking, by):
    booking = _lock(booking)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(MESSAGE_NOT_PENDING, code="not_pending")
    return _decide(booking, Booking.Status.APPROVED, by)


@transaction.atomic
def booking_reject(*, booking, by, reason):
    booking = _lock(booking)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(MESSAGE_NOT_PENDING, code="not_pending")
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON_REQUIRED}, code="reason")
    return _decide(booking, Booking.Status.REJECTED, by, reason.strip())


@transaction.atomic
def booking_cancel(*, booking, by=None, reason):
    """Cancels a booking still ahead; `by` is None when the visitor cancels it themselves."""
    booking = _lock(booking)
    if not booking.is_open():
        raise ValidationError(
            MESSAGE_NOT_OPEN, params={"status": booking.get_status_display()}, code="not_open"
        )
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON_REQUIRED}, code="reason")
    return _decide(booking, Booking.Status.CANCELLED, by, reason.strip())


@transaction.atomic
def booking_record_visit(*, booking, by, headcount, guide="", notes="", today=None):
    """The group has come: records the visit with the actual headcount; returns the Visit."""
    booking = _lock(booking)
    if booking.status != Booking.Status.APPROVED:
        raise ValidationError(MESSAGE_NOT_APPROVED, code="not_approved")
    if booking.visit_on > (today or timezone.localdate()):
        raise ValidationError(
            MESSAGE_VISIT_IN_FUTURE, params={"date": booking.visit_on}, code="future"
        )
    visit = Visit(
        base=booking.base,
        visited_on=booking.visit_on,
        group_name=booking.group_name,
        category=booking.category,
        headcount=headcount,
        guide=guide,
        notes=notes,
        source=Visit.Source.BOOKING,
    )
    visit.full_clean()
    visit.save()
    visit.activities.set(booking.activities.all())
    booking.visit = visit
    booking.status = Booking.Status.VISITED
    booking.full_clean()
    booking.save()
    return visit


@transaction.atomic
def visit_check_in(*, base, group_name, category, headcount, today=None):
    """A group leader records their group at the base's entrance (the QR poster's form)."""
    visit = Visit(
        base=base,
        visited_on=today or timezone.localdate(),
        group_name=group_name.strip(),
        category=category,
        headcount=headcount,
        source=Visit.Source.CHECK_IN,
    )
    visit.full_clean()
    visit.save()
    visit.activities.set(base.activities.filter(code=Activity.Code.VISIT))
    return visit


def meeting_visit_values(meeting):
    """What a meeting held at a base counts as: (values for its Visit, activity codes), or
    None when it counts as no visit (no base, or nobody present)."""
    from branches.models import MeetingAttendance

    if meeting.base_id is None:
        return None
    present = meeting.attendances.filter(status=MeetingAttendance.Status.PRESENT).count()
    if present == 0:
        return None
    organisation = meeting.organisation
    category = (
        Visit.Category.RETIRED_MEMBERS
        if organisation.is_retiree_branch
        else Visit.Category.IN_SERVICE_CADRES
    )
    values = {
        "base_id": meeting.base_id,
        "visited_on": meeting.held_on,
        "group_name": str(organisation.name)[:200],
        "category": category,
        "headcount": present,
        "source": Visit.Source.MEETING,
        "notes": str(meeting.topic),
    }
    return values, [MEETING_ACTIVITIES.get(meeting.kind, Activity.Code.VISIT)]


@transaction.atomic
def sync_meeting_visit(meeting):
    """Keeps the Visit a meeting held at a base counts as in step with the meeting.

    Its attendees are counted once, from the attendance already recorded: retired Party
    members for a retiree branch, in-service cadres otherwise. A meeting moved away from a base,
    or with nobody present, counts as no visit; its Visit, if any, is removed.
    """
    from branches.models import Meeting

    meeting = Meeting.objects.select_related("organisation").filter(pk=meeting.pk).first()
    existing = Visit.objects.filter(meeting_id=getattr(meeting, "pk", None)).first()
    planned = meeting_visit_values(meeting) if meeting is not None else None
    if planned is None:
        if existing is not None:
            existing.delete()
        return None
    values, codes = planned
    visit = existing or Visit(meeting=meeting)
    changed = existing is None or any(getattr(visit, k) != v for k, v in values.items())
    if changed:
        for key, value in values.items():
            setattr(visit, key, value)
        visit.full_clean(exclude=["meeting"])
        visit.save()
    activities = list(Activity.objects.filter(code__in=codes))
    if existing is None or {a.pk for a in visit.activities.all()} != {a.pk for a in activities}:
        visit.activities.set(activities)
    return visit
