"""The booking calendar, closures, every error at once, bookings taken by phone, the
confirmation and the day sheet."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.admin_forms import form_data as admin_form_data
from tests.factories.visits import BookingFactory, VisitFactory
from visits import selectors
from visits.models import Booking, Closure

from .test_public_pages import form_data, next_open_day


def calendar_day(content, day):
    """The calendar row of `day` (its text between its header cell and the next row)."""
    label = f"{day.month}月{day.day}日"
    start = content.index(f'<th scope="row">{label} ')
    return content[start : content.index("</tr>", start)]


def test_the_calendar_shows_places_left_full_slots_and_closed_days(client, bookable_base):
    day = next_open_day(bookable_base)
    later = next_open_day(bookable_base, after=(day - timezone.localdate()).days + 1)
    BookingFactory(base=bookable_base, visit_on=day, slot="am", headcount=50, status="approved")
    BookingFactory(base=bookable_base, visit_on=day, slot="pm", headcount=20, status="pending")
    BookingFactory(base=bookable_base, visit_on=day, slot="pm", headcount=10, status="rejected")
    Closure.objects.create(base=bookable_base, first_day=later, last_day=later, reason="闭馆布展")
    content = client.get(reverse("visits:booking-create", args=[bookable_base.slug])).content
    content = content.decode()
    row = calendar_day(content, day)
    assert "已满" in row and "剩余 30" in row  # 50 − 20 pending; the rejected one holds none
    assert f'data-day="{day.isoformat()}" data-slot="am"' not in row
    assert "闭馆布展" in calendar_day(content, later)
    assert "data-day" not in calendar_day(content, later)
    monday = next(
        timezone.localdate() + datetime.timedelta(days=n)
        for n in range(2, 9)
        if (timezone.localdate() + datetime.timedelta(days=n)).isoweekday() == 1
    )
    assert "每周闭馆日" in calendar_day(content, monday)


def test_a_slot_picked_without_javascript_fills_the_form(client, bookable_base):
    day = next_open_day(bookable_base)
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    content = client.get(url, {"visit_on": day.isoformat(), "slot": "pm"}).content.decode()
    assert f'value="{day.isoformat()}"' in content
    assert '<option value="pm" selected>' in content


def test_the_booking_page_runs_the_same_queries_for_any_number_of_bookings(
    client, bookable_base, django_assert_max_num_queries
):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(30):
        BookingFactory(base=bookable_base, visit_on=next_open_day(bookable_base, 2 + n))
    Closure.objects.create(
        base=bookable_base,
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + datetime.timedelta(days=3),
        reason="检修",
    )
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_every_error_of_the_form_is_said_at_once(client, bookable_base):
    day = next_open_day(bookable_base)
    Closure.objects.create(base=bookable_base, first_day=day, last_day=day, reason="闭馆布展")
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    data = form_data(bookable_base, phone="12345", visit_on=day.isoformat(), contact_name="")
    content = client.post(url, data).content.decode()
    assert "闭馆布展" in content  # the day
    assert "手机号" in content  # the phone
    assert "请填写" in content  # the contact
    assert not Booking.objects.exists()


def test_a_closed_period_refuses_the_booking_in_the_service_too(bookable_base):
    from .test_services import book

    Closure.objects.create(
        base=bookable_base,
        first_day=datetime.date(2025, 6, 9),
        last_day=datetime.date(2025, 6, 12),
        reason="闭馆布展",
    )
    with pytest.raises(Exception) as error:
        book(bookable_base)  # 2025-06-10
    assert "闭馆布展" in str(error.value.messages)


def test_staff_take_a_booking_by_phone_held_to_the_same_places(staff_client, bookable_base):
    day = next_open_day(bookable_base)
    BookingFactory(base=bookable_base, visit_on=day, slot="am", headcount=45, status="approved")
    url = reverse("admin:visits_booking_add")
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "base": str(bookable_base.pk),
            "visit_on": day.isoformat(),
            "slot": "am",
            "group_name": "太谷区实验小学",
            "contact_name": "赵老师",
            "phone": "0354-1234567",
            "headcount": "10",
            "category": "students",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "仅剩 5 个名额" in response.content.decode()
    data["headcount"] = "5"
    assert staff_client.post(url, data).status_code == 302
    booking = Booking.objects.get(group_name="太谷区实验小学")
    assert booking.status == Booking.Status.APPROVED and len(booking.reference) == 8


def test_a_base_admin_takes_phone_bookings_for_their_own_bases_only(
    base_admin_client, bookable_base, other_base
):
    url = reverse("admin:visits_booking_add")
    content = base_admin_client.get(url).content.decode()
    assert bookable_base.name in content and other_base.name not in content


def test_the_confirmation_shows_the_code_to_copy_and_the_lookup_carries_it(client, bookable_base):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    content = client.post(url, form_data(bookable_base), follow=True).content.decode()
    booking = Booking.objects.get()
    assert f'data-copy="{booking.reference}"' in content
    assert "截图" in content
    lookup = reverse("visits:booking-lookup") + f"?reference={booking.reference}"
    assert lookup in content
    assert f'value="{booking.reference}"' in client.get(lookup).content.decode()


def test_a_bases_phone_number_is_a_tel_link(client, bookable_base):
    bookable_base.contact = "0354-3012345（接待办）"
    bookable_base.save()
    content = client.get(reverse("visits:booking-create", args=[bookable_base.slug])).content
    assert '<a href="tel:03543012345">0354-3012345</a>（接待办）' in content.decode()


def test_the_day_sheet_lists_todays_and_tomorrows_groups_of_the_users_bases(
    base_admin_client, bookable_base, other_base, django_assert_max_num_queries
):
    today = timezone.localdate()
    BookingFactory(base=bookable_base, visit_on=today, status="approved", group_name="今天的团体")
    BookingFactory(
        base=bookable_base,
        visit_on=today + datetime.timedelta(days=1),
        status="pending",
        group_name="明天的团体",
    )
    BookingFactory(base=bookable_base, visit_on=today, status="cancelled", group_name="取消的")
    BookingFactory(base=other_base, visit_on=today, status="approved", group_name="别的基地")
    BookingFactory(
        base=bookable_base,
        visit_on=today - datetime.timedelta(days=3),
        status="approved",
        group_name="没标记的",
    )
    with django_assert_max_num_queries(12):
        content = base_admin_client.get(reverse("visits:day-sheet")).content.decode()
    assert "今天的团体" in content and "明天的团体" in content
    assert "取消的" not in content and "别的基地" not in content
    assert "没标记的" in content  # a reminder below the sheet


def test_the_statistics_export_to_excel_with_formulas_defused(staff_client, bookable_base):
    VisitFactory(base=bookable_base, visited_on=datetime.date(2024, 5, 4), headcount=30)
    bookable_base.name = "=HYPERLINK(1)"
    bookable_base.save()
    response = staff_client.get(reverse("visits:statistics-export") + "?year=2024")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "'=HYPERLINK(1)" in values
    assert 30 in values


def test_unmarked_bookings_are_scoped_to_the_users_bases(base_admin, bookable_base, other_base):
    past = timezone.localdate() - datetime.timedelta(days=2)
    mine = BookingFactory(base=bookable_base, visit_on=past, status="approved")
    BookingFactory(base=other_base, visit_on=past, status="approved")
    BookingFactory(base=bookable_base, visit_on=past, status="visited")
    assert list(selectors.unmarked_bookings(base_admin)) == [mine]


def test_a_phone_booking_that_loses_the_last_places_comes_back_with_the_reason(
    staff_client, bookable_base, monkeypatch
):
    """Two phones at once: the other booking takes the last places after this form was checked
    and before it is saved. The clerk gets the form back with what was typed, not an error page."""
    from visits import services
    from visits.admin import BookingAdmin

    day = next_open_day(bookable_base)
    BookingFactory(base=bookable_base, visit_on=day, slot="am", headcount=40, status="approved")
    save_form = BookingAdmin.save_form

    def the_other_phone_first(self, request, form, change):
        if not Booking.objects.filter(group_name="榆次区第二中学").exists():
            services.booking_create(
                base=bookable_base,
                visit_on=day,
                slot="am",
                group_name="榆次区第二中学",
                contact_name="钱老师",
                phone="0354-7654321",
                headcount=8,
                category="students",
                by=request.user,
            )
        return save_form(self, request, form, change)

    monkeypatch.setattr(BookingAdmin, "save_form", the_other_phone_first)
    url = reverse("admin:visits_booking_add")
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "base": str(bookable_base.pk),
            "visit_on": day.isoformat(),
            "slot": "am",
            "group_name": "太谷区实验小学",
            "contact_name": "赵老师",
            "phone": "0354-1234567",
            "headcount": "10",
            "category": "students",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "仅剩 2 个名额" in content
    assert 'value="太谷区实验小学"' in content
    assert not Booking.objects.filter(group_name="太谷区实验小学").exists()
