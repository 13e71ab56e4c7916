import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from tests.factories.visits import BookingFactory
from visits import services
from visits.models import Booking, Visit, mask_phone, phone_digest

from .conftest import TODAY, TUESDAY


def book(base, **overrides):
    values = {
        "base": base,
        "visit_on": TUESDAY,
        "slot": Booking.Slot.MORNING,
        "group_name": "榆次区第一中学初二（3）班",
        "contact_name": "王老师",
        "phone": "138 0000 1234",
        "headcount": 45,
        "category": Visit.Category.STUDENTS,
        "today": TODAY,
    }
    values.update(overrides)
    return services.booking_create(**values)


def test_a_booking_gets_a_code_and_keeps_the_phone_hashed_for_lookups(bookable_base, activities):
    booking, created = book(bookable_base, activities=[activities["oath"]])
    assert created
    assert len(booking.reference) == services.REFERENCE_LENGTH
    assert booking.phone == "13800001234"
    assert booking.phone_hash == phone_digest("13800001234")
    assert booking.status == Booking.Status.PENDING
    assert list(booking.activities.all()) == [activities["oath"]]
    assert mask_phone(booking.phone) == "138****1234"


def test_the_same_token_twice_books_once(bookable_base):
    token = uuid.uuid4()
    first, created = book(bookable_base, token=token)
    again, created_again = book(bookable_base, token=token)
    assert created and not created_again
    assert again.pk == first.pk
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("visit_on", "message"),
    [
        (TODAY, services.MESSAGE_DATE_TOO_SOON),
        (TODAY + datetime.timedelta(days=200), services.MESSAGE_DATE_TOO_FAR),
        (datetime.date(2025, 6, 9), services.MESSAGE_BASE_CLOSED),  # a Monday
    ],
)
def test_dates_outside_the_window_or_on_closed_days_are_refused(bookable_base, visit_on, message):
    with pytest.raises(ValidationError) as error:
        book(bookable_base, visit_on=visit_on)
    assert "visit_on" in error.value.message_dict
    assert Booking.objects.count() == 0
    text = str(message).split("%")[0]
    assert error.value.message_dict["visit_on"][0].startswith(text)


def test_a_slot_is_not_overbooked(bookable_base):
    book(bookable_base, headcount=40)
    with pytest.raises(ValidationError) as error:
        book(bookable_base, headcount=11, token=uuid.uuid4())
    assert "10" in error.value.message_dict["headcount"][0]
    # The afternoon, and a rejected booking's places, are free again.
    book(bookable_base, headcount=50, slot=Booking.Slot.AFTERNOON)
    assert Booking.objects.count() == 2


def test_places_of_rejected_and_cancelled_bookings_are_free(bookable_base, bureau_staff):
    booking, _ = book(bookable_base, headcount=50)
    services.booking_reject(booking=booking, by=bureau_staff, reason="当日闭馆维护")
    second, _ = book(bookable_base, headcount=50)
    assert second.status == Booking.Status.PENDING


def test_an_activity_the_base_does_not_offer_is_refused(bookable_base, activities):
    with pytest.raises(ValidationError) as error:
        book(bookable_base, activities=[activities["training"]])
    assert "activities" in error.value.message_dict


def test_a_closed_or_unopened_base_takes_no_booking(bookable_base, shut_base):
    bookable_base.bookings_open = False
    bookable_base.save()
    with pytest.raises(ValidationError):
        book(bookable_base)
    with pytest.raises(ValidationError):
        book(shut_base)
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("phone", ["12345", "2380000123", "abc", ""])
def test_a_bad_phone_number_is_refused(bookable_base, phone):
    with pytest.raises(ValidationError) as error:
        book(bookable_base, phone=phone)
    assert "phone" in error.value.message_dict


def test_approve_then_record_makes_a_visit_with_the_actual_headcount(
    bookable_base, bureau_staff, activities
):
    booking, _ = book(bookable_base, activities=[activities["oath"]])
    services.booking_approve(booking=booking, by=bureau_staff)
    visit = services.booking_record_visit(
        booking=booking, by=bureau_staff, headcount=43, guide="李讲解员", today=TUESDAY
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.VISITED
    assert booking.visit == visit
    assert (visit.headcount, visit.source, visit.visited_on) == (43, "booking", TUESDAY)
    assert list(visit.activities.all()) == [activities["oath"]]
    assert booking.decided_by == bureau_staff


def test_a_visit_is_not_recorded_before_its_day_or_without_approval(bookable_base, bureau_staff):
    booking, _ = book(bookable_base)
    with pytest.raises(ValidationError):
        services.booking_record_visit(booking=booking, by=bureau_staff, headcount=40)
    services.booking_approve(booking=booking, by=bureau_staff)
    with pytest.raises(ValidationError):
        services.booking_record_visit(booking=booking, by=bureau_staff, headcount=40, today=TODAY)
    assert Visit.objects.count() == 0


def test_reject_needs_a_reason_and_only_a_pending_booking(bookable_base, bureau_staff):
    booking, _ = book(bookable_base)
    with pytest.raises(ValidationError):
        services.booking_reject(booking=booking, by=bureau_staff, reason="  ")
    services.booking_approve(booking=booking, by=bureau_staff)
    with pytest.raises(ValidationError):
        services.booking_reject(booking=booking, by=bureau_staff, reason="人数过多")
    with pytest.raises(ValidationError):
        services.booking_approve(booking=booking, by=bureau_staff)


def test_a_cancelled_booking_cannot_be_cancelled_again(bookable_base):
    booking = BookingFactory(base=bookable_base)
    services.booking_cancel(booking=booking, reason="行程变更")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.decided_by is None
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, reason="行程变更")


def test_check_in_records_a_visit_today(bookable_base, activities):
    visit, created = services.visit_check_in(
        base=bookable_base, group_name="太谷区离退休党员", category="retired", headcount=12
    )
    assert created and visit.needs_review
    assert visit.source == Visit.Source.CHECK_IN
    assert list(visit.activities.all()) == [activities["visit"]]


def test_a_headcount_too_large_is_refused(bookable_base):
    with pytest.raises(ValidationError):
        services.visit_check_in(
            base=bookable_base, group_name="某单位", category="public", headcount=20000
        )
    assert Visit.objects.count() == 0
