"""One count per group: however a booked group's visit comes in (staff, booking, check-in,
import, meeting), it completes the booking and the statistics count the group once."""

import datetime
import uuid

import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import BookingFactory, VisitFactory
from visits import selectors, services
from visits.models import Booking, Visit
from visits.resources import VisitResource
from visits.views import check_in_signature

from .test_admin import HEADERS
from .test_meetings import add_meeting, member

GROUP = "榆次区第一中学初二年级"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def booked(bookable_base, today):
    return BookingFactory(
        base=bookable_base, visit_on=today, group_name=GROUP, headcount=40, status="approved"
    )


@pytest.fixture
def public():
    """The group leader's phone: a client of its own (the persona clients share one)."""
    from django.test import Client

    return Client()


def check_in(client, base, **data):
    url = reverse("visits:check-in", args=[base.slug, check_in_signature(base)])
    return client.post(url, {"token": str(uuid.uuid4()), "headcount": "38", **data})


def counted(base, today):
    stats = selectors.statistics(first_day=today, last_day=today)
    return stats.visits, Visit.objects.filter(base=base, visited_on=today).count()


def record_from_booking(client, booking):
    return client.post(
        reverse("admin:visits_booking_decide", args=[booking.pk, "record"]),
        {"headcount": "39", "guide": "", "notes": ""},
    )


def test_staff_record_the_booking_and_the_check_in_with_its_code_adds_nothing(
    public, staff_client, booked, bookable_base, today
):
    assert record_from_booking(staff_client, booked).status_code == 302
    response = check_in(public, bookable_base, reference=booked.reference.lower())
    assert "已登记" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Booking.Status.VISITED
    assert counted(bookable_base, today) == (1, 1)


def test_a_check_in_with_the_code_completes_the_booking_and_staff_cannot_record_it_again(
    public, staff_client, booked, bookable_base, today
):
    response = check_in(public, bookable_base, reference=booked.reference)
    assert response.status_code == 200
    booked.refresh_from_db()
    assert booked.status == Booking.Status.VISITED
    assert (booked.visit.source, booked.visit.headcount) == ("check_in", 38)
    assert not booked.visit.needs_review
    response = record_from_booking(staff_client, booked)
    assert response.status_code == 200  # the form again, with the reason
    assert "只有已批准的预约" in response.content.decode()
    assert counted(bookable_base, today) == (1, 1)


def test_the_check_in_form_offers_todays_bookings_to_pick(public, booked, bookable_base, today):
    url = reverse("visits:check-in", args=[bookable_base.slug, check_in_signature(bookable_base)])
    assert GROUP in public.get(url).content.decode()
    check_in(public, bookable_base, booking=str(booked.pk))
    booked.refresh_from_db()
    assert booked.status == Booking.Status.VISITED
    # Picked again (a second phone in the group): still one count.
    check_in(public, bookable_base, group_name=GROUP, category="students")
    assert counted(bookable_base, today) == (1, 1)


def test_a_wrong_code_is_explained_and_records_nothing(public, booked, bookable_base, today):
    response = check_in(public, bookable_base, reference="XXXXXXXX")
    assert "本基地今天没有这个预约编号" in response.content.decode()
    assert counted(bookable_base, today) == (0, 0)


def test_staff_typing_a_booked_groups_visit_complete_its_booking(
    staff_client, booked, bookable_base, today, activities
):
    data = {
        "base": bookable_base.pk,
        "visited_on": today.isoformat(),
        "group_name": " 榆次区第一中学 初二年级",
        "category": "students",
        "headcount": "41",
    }
    assert staff_client.post(reverse("admin:visits_visit_add"), data).status_code == 302
    booked.refresh_from_db()
    assert booked.status == Booking.Status.VISITED
    # The same group typed again that day is refused.
    response = staff_client.post(reverse("admin:visits_visit_add"), data)
    assert response.status_code == 200
    assert "同一团体每天只计一次" in response.content.decode()
    assert counted(bookable_base, today) == (1, 1)


def test_an_imported_booked_visit_completes_the_booking_and_a_repeat_row_is_refused(
    booked, bookable_base, today, bureau_staff, activities
):
    row = [None, bookable_base.name, today.isoformat(), GROUP, "中小学生", 40, "", "", ""]
    dataset = tablib.Dataset([*row], headers=HEADERS)
    result = VisitResource(user=bureau_staff).import_data(dataset, dry_run=False, user=bureau_staff)
    assert not result.has_errors() and not result.has_validation_errors()
    booked.refresh_from_db()
    assert booked.status == Booking.Status.VISITED
    again = VisitResource(user=bureau_staff).import_data(dataset, dry_run=False, user=bureau_staff)
    assert again.has_validation_errors()
    assert counted(bookable_base, today) == (1, 1)


def test_a_booked_meeting_at_the_base_completes_the_booking(
    staff_client, public, own_branch, bookable_base, today
):
    for n in range(3):
        member(own_branch, n)
    booking = BookingFactory(
        base=bookable_base,
        visit_on=today,
        group_name=str(own_branch.name),
        status="approved",
        category="retired",
    )
    add_meeting(staff_client, own_branch, bookable_base, held_on=today.isoformat())
    booking.refresh_from_db()
    assert booking.status == Booking.Status.VISITED
    assert booking.visit.source == Visit.Source.MEETING
    check_in(public, bookable_base, reference=booking.reference)
    assert counted(bookable_base, today) == (1, 1)


def test_an_unbooked_check_in_waits_for_review_and_is_kept_or_rejected(
    public, base_admin_client, bookable_base, today
):
    check_in(public, bookable_base, group_name="太谷区社区居民", category="public")
    check_in(public, bookable_base, group_name="太谷区 社区居民", category="public")
    visit = Visit.objects.get()
    assert visit.needs_review
    changelist = reverse("admin:visits_visit_changelist")
    listed = base_admin_client.get(changelist + "?needs_review__exact=1").content.decode()
    assert "太谷区社区居民" in listed
    base_admin_client.post(changelist, {"action": "keep_selected", "_selected_action": [visit.pk]})
    visit.refresh_from_db()
    assert not visit.needs_review
    other = VisitFactory(base=bookable_base, visited_on=today, needs_review=True, group_name="误登")
    base_admin_client.post(
        changelist, {"action": "reject_selected", "_selected_action": [visit.pk, other.pk]}
    )
    # Only the one awaiting review is rejected; the kept one stays.
    assert list(Visit.objects.values_list("group_name", flat=True)) == ["太谷区社区居民"]
    assert counted(bookable_base, today) == (1, 1)


def test_a_check_in_on_a_closed_day_is_refused(public, bookable_base, today):
    from visits.models import Closure

    Closure.objects.create(base=bookable_base, first_day=today, last_day=today, reason="闭馆布展")
    response = check_in(public, bookable_base, group_name="某单位", category="public")
    assert "闭馆布展" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_no_show_is_marked_after_its_day_and_stops_being_a_reminder(
    staff_client, bookable_base, bureau_staff, today
):
    yesterday = today - datetime.timedelta(days=1)
    booking = BookingFactory(base=bookable_base, visit_on=yesterday, status="approved")
    ahead = BookingFactory(
        base=bookable_base, visit_on=today + datetime.timedelta(days=2), status="approved"
    )
    assert list(selectors.unmarked_bookings(bureau_staff)) == [booking]
    with pytest.raises(services.ValidationError):
        services.booking_mark_no_show(booking=ahead, by=bureau_staff)
    response = staff_client.post(
        reverse("admin:visits_booking_decide", args=[booking.pk, "no_show"]), {"reason": ""}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert not selectors.unmarked_bookings(bureau_staff).exists()
