"""Writes for visits/: keyword-only, atomic, validated before they are saved."""

import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitions.models import Activity, EducationBase

from .models import Booking, Closure, Visit, normalise_phone

# How far ahead a booking may be made, and how soon: the base needs a day to answer.
BOOKING_DAYS_AHEAD = 90
BOOKING_MIN_DAYS_AHEAD = 1

MESSAGE_BASE_NOT_BOOKABLE = _("This base is not taking bookings at present.")
MESSAGE_DATE_TOO_SOON = _("Book at least one day ahead; for today, please call the base.")
MESSAGE_DATE_TOO_FAR = _("Bookings open %(days)s days ahead; choose an earlier date.")
MESSAGE_BASE_CLOSED = _("The base is closed on that day; it is open on %(days)s.")
MESSAGE_BASE_CLOSED_FOR = _("The base is closed from %(first)s to %(last)s: %(reason)s.")
MESSAGE_CLOSED_TODAY = _("The base is closed today (%(reason)s); no visit is recorded.")
MESSAGE_NO_SUCH_BOOKING = _(
    "No approved booking of this base for today has this code; check it, or leave it empty."
)
MESSAGE_ALREADY_COUNTED = _(
    "%(group)s is already counted at this base on %(date)s; a group is counted once a day."
)
MESSAGE_NOT_TO_REVIEW = _("Only an on-site check-in awaiting review can be kept or rejected.")
MESSAGE_NO_SHOW_TOO_EARLY = _("The visit is on %(date)s; mark a no-show on or after that day.")
MESSAGE_SLOT_FULL = _(
    "Only %(left)s places are left in this time slot; choose another slot or date, "
    "or come with fewer people."
)
MESSAGE_ACTIVITY_NOT_OFFERED = _("This base does not offer: %(activities)s.")
MESSAGE_NOT_PENDING = _("Only a booking awaiting approval can be approved or rejected.")
MESSAGE_NOT_OPEN = _("This booking is already %(status)s and cannot be changed.")
MESSAGE_NOT_APPROVED = _("Only an approved booking can be recorded as a visit.")
MESSAGE_NOT_APPROVED_NO_SHOW = _("Only an approved booking can be marked as a no-show.")
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


def closure_on(base, on):
    """The closure period of `base` that covers the day `on`, or None."""
    return Closure.objects.filter(base=base).covering(on, on).first()


def date_errors(base, on, today, *, by_phone=False):
    """What is wrong with booking `base` on `on` (a list of ValidationErrors, maybe empty).
    A booking taken by phone may be for today: the base itself answered the call."""
    soonest = today if by_phone else today + datetime.timedelta(days=BOOKING_MIN_DAYS_AHEAD)
    if on < soonest:
        return [ValidationError(MESSAGE_DATE_TOO_SOON, code="too_soon")]
    if on > today + datetime.timedelta(days=BOOKING_DAYS_AHEAD):
        return [ValidationError(MESSAGE_DATE_TOO_FAR, params={"days": BOOKING_DAYS_AHEAD})]
    if not base.is_open_on(on):
        days = "、".join(str(label) for label in base.open_weekday_labels())
        return [ValidationError(MESSAGE_BASE_CLOSED, params={"days": days}, code="closed")]
    closure = closure_on(base, on)
    if closure is not None:
        params = {"first": closure.first_day, "last": closure.last_day, "reason": closure.reason}
        return [ValidationError(MESSAGE_BASE_CLOSED_FOR, params=params, code="closed")]
    return []


def _activity_errors(base, activities):
    offered = set(base.activities.values_list("pk", flat=True))
    missing = [str(activity) for activity in activities if activity.pk not in offered]
    if missing:
        params = {"activities": "、".join(missing)}
        return [ValidationError(MESSAGE_ACTIVITY_NOT_OFFERED, params=params)]
    return []


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
    by=None,
):
    """Records a booking, awaiting approval; returns (booking, created).

    `by` is the member of staff or base administrator who took it by phone (the same places,
    days and closures as the public form; today allowed). Every problem is reported at once.
    The same idempotency token twice returns the first booking (a double tap, a reload after
    sending) instead of booking again. The base's row is locked while places are counted, so
    two requests for the last places cannot both succeed.
    """
    if token is not None:
        existing = Booking.objects.filter(idempotency_token=token).first()
        if existing is not None:
            return existing, False
    base = EducationBase.objects.select_for_update().get(pk=base.pk)
    if by is None and (
        not base.bookings_open or not EducationBase.objects.public().filter(pk=base.pk).exists()
    ):
        raise ValidationError(MESSAGE_BASE_NOT_BOOKABLE, code="not_bookable")
    activities = list(activities)
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
    errors = booking_errors(booking, activities, today=today, by_phone=by is not None)
    if errors:
        raise ValidationError(errors)
    if by is not None:
        # Taken by the base itself: no decision is waiting.
        booking.status = Booking.Status.APPROVED
        booking.decided_by = by
        booking.decided_at = timezone.now()
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


def booking_errors(booking, activities, *, today=None, by_phone=False):
    """Everything wrong with a new booking, at once: {field: [ValidationError]} (empty when it
    may be saved). The admin's form for a booking taken by phone asks this too."""
    base = booking.base
    errors = {}
    try:
        booking.full_clean(exclude=["reference"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    on_date = date_errors(base, booking.visit_on, today or timezone.localdate(), by_phone=by_phone)
    if on_date:
        errors.setdefault("visit_on", []).extend(on_date)
    activity_errors = _activity_errors(base, activities)
    if activity_errors:
        errors.setdefault("activities", []).extend(activity_errors)
    if not on_date and "headcount" not in errors and "slot" not in errors:
        left = slot_places_left(base=base, on=booking.visit_on, slot=booking.slot)
        if booking.headcount > left:
            errors.setdefault("headcount", []).append(
                ValidationError(MESSAGE_SLOT_FULL, params={"left": left}, code="full")
            )
    return errors


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
def booking_mark_no_show(*, booking, by, today=None):
    """The approved group did not come: the booking is closed, its places counted nowhere."""
    booking = _lock(booking)
    if booking.status != Booking.Status.APPROVED:
        raise ValidationError(MESSAGE_NOT_APPROVED_NO_SHOW, code="not_approved")
    if booking.visit_on > (today or timezone.localdate()):
        raise ValidationError(
            MESSAGE_NO_SHOW_TOO_EARLY, params={"date": booking.visit_on}, code="future"
        )
    return _decide(booking, Booking.Status.NO_SHOW, by, booking.reason)


# --- one count per group ----------------------------------------------------------------------


def _same_group(name):
    return re.sub(r"\s+", "", name or "")


def counted_visit(*, base_id, on, group_name, exclude=None):
    """The visit that already counts this group at this base on this day, or None: one group is
    counted once a day, whichever way its visit came in (names compared without spaces)."""
    visits = Visit.objects.filter(base_id=base_id, visited_on=on)
    if exclude is not None and exclude.pk:
        visits = visits.exclude(pk=exclude.pk)
    wanted = _same_group(group_name)
    return next((v for v in visits if _same_group(v.group_name) == wanted), None)


def check_not_counted(*, base_id, on, group_name, exclude=None):
    """Raises when the group already counts that day (for the admin's form and an import)."""
    existing = counted_visit(base_id=base_id, on=on, group_name=group_name, exclude=exclude)
    if existing is not None:
        raise ValidationError(
            MESSAGE_ALREADY_COUNTED,
            params={"group": existing.group_name, "date": on},
            code="counted",
        )


def booking_for(*, base_id, on, group_name):
    """The approved booking, not yet visited, of this group at this base on this day, or None."""
    wanted = _same_group(group_name)
    candidates = Booking.objects.filter(
        base_id=base_id, visit_on=on, status=Booking.Status.APPROVED, visit__isnull=True
    )
    return next((b for b in candidates if _same_group(b.group_name) == wanted), None)


def visit_complete_booking(*, visit, booking=None):
    """Makes `visit` the one count of its booking (the one named, else the group's approved
    booking of that base and day): the booking becomes visited instead of being recorded again.
    Every way a visit comes in ends here. Returns the booking, or None."""
    if Booking.objects.filter(visit=visit).exists():
        return None
    if booking is None:
        booking = booking_for(
            base_id=visit.base_id, on=visit.visited_on, group_name=visit.group_name
        )
        if booking is None:
            return None
    booking = _lock(booking)
    if booking.status != Booking.Status.APPROVED or booking.visit_id is not None:
        raise ValidationError(MESSAGE_NOT_APPROVED, code="not_approved")
    if not visit.activities.exists():
        visit.activities.set(booking.activities.all())
    booking.visit = visit
    booking.status = Booking.Status.VISITED
    booking.full_clean()
    booking.save()
    if visit.needs_review:
        visit.needs_review = False
        visit.save(update_fields=["needs_review"])
    return booking


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
    visit_complete_booking(visit=visit, booking=booking)
    return visit


def todays_bookings(*, base, today=None):
    """The approved bookings of `base` for today whose group has not been counted yet (the
    check-in form offers them to pick)."""
    return Booking.objects.filter(
        base=base,
        visit_on=today or timezone.localdate(),
        status=Booking.Status.APPROVED,
        visit__isnull=True,
    ).order_by("slot", "group_name")


@transaction.atomic
def visit_check_in(
    *, base, headcount, booking=None, reference="", group_name="", category="", today=None
):
    """A group leader records their group at the base's entrance (the QR poster's form).

    A group that booked names its booking (picked from today's, or by its code): the check-in
    completes it. A group without a booking is counted at once and waits for the base's
    administrator to keep or reject it; a group already counted today is not counted again.
    Returns (visit, created).
    """
    today = today or timezone.localdate()
    closure = closure_on(base, today)
    if closure is not None:
        raise ValidationError(
            MESSAGE_CLOSED_TODAY, params={"reason": closure.reason}, code="closed"
        )
    reference = (reference or "").strip().upper()
    if booking is None and reference:
        booking = Booking.objects.filter(base=base, visit_on=today, reference=reference).first()
        if booking is not None and booking.visit_id is not None:
            return booking.visit, False
        if booking is None or booking.status != Booking.Status.APPROVED:
            raise ValidationError({"reference": MESSAGE_NO_SUCH_BOOKING}, code="no_booking")
    if booking is not None:
        group_name, category = booking.group_name, booking.category
    existing = counted_visit(base_id=base.pk, on=today, group_name=group_name)
    if existing is not None:
        return existing, False
    visit = Visit(
        base=base,
        visited_on=today,
        group_name=group_name.strip(),
        category=category,
        headcount=headcount,
        source=Visit.Source.CHECK_IN,
    )
    visit.full_clean()
    visit.save()
    if visit_complete_booking(visit=visit, booking=booking) is None:
        visit.needs_review = True
        visit.save(update_fields=["needs_review"])
        visit.activities.set(base.activities.filter(code=Activity.Code.VISIT))
    return visit, True


def _to_review(visit):
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not visit.needs_review:
        raise ValidationError(MESSAGE_NOT_TO_REVIEW, code="not_to_review")
    return visit


@transaction.atomic
def visit_keep(*, visit, by):
    """The base's administrator confirms an unbooked check-in (corrected first if need be)."""
    visit = _to_review(visit)
    visit.needs_review = False
    visit.save(update_fields=["needs_review"])
    return visit


@transaction.atomic
def visit_reject(*, visit, by):
    """The base's administrator rejects an unbooked check-in (a duplicate, a mistake): it no
    longer counts. Its history keeps what was recorded."""
    visit = _to_review(visit)
    visit._change_reason = "rejected check-in"
    visit.delete()


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
    if existing is None:
        # A branch that booked its visit and then recorded the meeting is counted once.
        visit_complete_booking(visit=visit)
    return visit
