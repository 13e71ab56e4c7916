"""A school books a visit on a phone, staff approve it, the visit is recorded, and it shows in
the statistics."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core import roles
from exhibitions.services import activities_ensure
from tests.browser.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.exhibitions import EducationBaseFactory
from visits.models import Booking, Visit


@pytest.fixture
def base(db):
    activities = activities_ensure()
    base = EducationBaseFactory(
        slug="base-09",
        name="左权县太行老战士纪念馆",
        county="zuoquan",
        open_weekdays="1234567",
        opening_hours="9:00—11:30，14:30—17:00",
        capacity_per_slot=60,
        contact="0354-3009999",
    )
    base.activities.set([activities["visit"], activities["oath"], activities["lecture"]])
    return base


def test_a_school_books_on_a_phone_and_the_visit_reaches_the_statistics(
    live_server, phone_page, browser, base, screenshot
):
    page = phone_page
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/visits/book/")
    page.get_by_role("link", name="预约", exact=True).click()
    page.wait_for_url("**/visits/book/base-09/")
    day = timezone.localdate() + datetime.timedelta(days=3)
    page.fill("#id_group_name", "左权县育才小学六年级")
    page.fill("#id_contact_name", "王老师")
    page.fill("#id_phone", "13803541234")
    page.fill("#id_visit_on", day.isoformat())
    page.select_option("#id_slot", "am")
    page.fill("#id_headcount", "0")
    page.select_option("#id_category", "students")
    page.get_by_label("重温入党誓词").check()
    page.get_by_role("button", name="提交预约").click()
    # A bad headcount is refused in Chinese, and what was typed is kept.
    # Every error is listed once at the top, linking to its field, and again beside the field.
    expect(page.locator("#form-errors")).to_contain_text("人数至少为1人")
    expect(page.locator(".invalid-feedback", has_text="人数至少为1人")).to_be_visible()
    assert page.get_attribute("#id_headcount", "aria-invalid") == "true"
    assert page.input_value("#id_group_name") == "左权县育才小学六年级"
    assert Booking.objects.count() == 0
    page.fill("#id_headcount", "46")
    screenshot(page, "public-booking-phone")
    page.get_by_role("button", name="提交预约").click()
    page.wait_for_url("**/visits/booking/received/")
    booking = Booking.objects.get()
    assert page.locator("[data-reference]").inner_text() == booking.reference
    expect(page.get_by_text("138****1234")).to_be_visible()
    screenshot(page, "public-booking-received-phone")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    staff = UserFactory(username="staff", roles=[roles.BUREAU_STAFF])
    desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    login(desk, live_server, staff.username, PASSWORD)
    desk.goto(f"{live_server.url}/admin/visits/booking/{booking.pk}/change/")
    assert desk.input_value("#id_phone") == "13803541234"
    screenshot(desk, "staff-booking-change")
    desk.get_by_role("link", name="批准预约").click()
    desk.get_by_role("button", name="批准预约").click()
    expect(desk.get_by_text(f"预约 {booking.reference} 已批准")).to_be_visible()

    # The day comes: the group arrives.
    Booking.objects.filter(pk=booking.pk).update(visit_on=timezone.localdate())
    page.goto(live_server.url + "/visits/booking/")
    page.fill("#id_reference", booking.reference)
    page.fill("#id_phone", "13803541234")
    page.get_by_role("button", name="查询").click()
    assert page.locator("[data-status]").inner_text() == "已批准"

    desk.goto(f"{live_server.url}/admin/visits/booking/{booking.pk}/change/")
    desk.get_by_role("link", name="团体已到访：登记参观").click()
    desk.fill("#id_headcount", "44")
    screenshot(desk, "staff-booking-record")
    desk.get_by_role("button", name="团体已到访：登记参观").click()
    expect(desk.get_by_text("的参观已登记")).to_be_visible()
    visit = Visit.objects.get()
    assert (visit.headcount, visit.source) == (44, "booking")

    desk.goto(f"{live_server.url}/visits/statistics/?year={timezone.localdate().year}")
    assert desk.locator("[data-total-visitors]").inner_text() == "44"
    desk.locator("[data-chart=category] svg").first.wait_for()
    screenshot(desk, "staff-visit-statistics")
    desk.close()

    page.goto(live_server.url + "/visits/statistics/public/")
    assert page.locator("[data-total-visitors]").inner_text() == "44"
    assert page.get_by_text("左权县育才小学").count() == 0
    page.locator("[data-chart=year] svg").first.wait_for()
    screenshot(page, "public-statistics-phone")
    assert violations == []


def test_the_check_in_poster_opens_a_short_form_on_a_phone(
    live_server, phone_page, browser, base, screenshot
):
    from visits.views import check_in_signature

    page = phone_page
    page.goto(f"{live_server.url}/visits/check-in/{base.slug}/{check_in_signature(base)}/")
    page.fill("#id_group_name", "太谷区老年大学党史班")
    page.get_by_label("离退休党员").check()
    page.fill("#id_headcount", "18")
    screenshot(page, "public-check-in-phone")
    page.get_by_role("button", name="提交登记").click()
    expect(page.get_by_text("已记录 18 人")).to_be_visible()
    assert Visit.objects.get().source == "check_in"


def test_booked_from_the_calendar_checked_in_with_its_code_counted_once_and_a_no_show_marked(
    live_server, phone_page, browser, base, screenshot
):
    from visits.models import Closure
    from visits.views import check_in_signature

    page = phone_page
    today = timezone.localdate()
    closed = today + datetime.timedelta(days=2)
    Closure.objects.create(base=base, first_day=closed, last_day=closed, reason="闭馆布展")
    page.goto(f"{live_server.url}/visits/book/{base.slug}/")
    calendar = page.locator("[data-booking-calendar]")
    expect(calendar.get_by_text("闭馆布展")).to_be_visible()
    day = today + datetime.timedelta(days=3)
    calendar.scroll_into_view_if_needed()
    screenshot(page, "public-booking-calendar-phone")
    calendar.locator(f'a[data-day="{day.isoformat()}"][data-slot="pm"]').click()
    # The tap filled the form's date and slot (JavaScript; without it the link reloads).
    assert page.input_value("#id_visit_on") == day.isoformat()
    assert page.input_value("#id_slot") == "pm"
    page.fill("#id_group_name", "榆次区第二中学初一年级")
    page.fill("#id_contact_name", "李老师")
    page.fill("#id_phone", "13803545678")
    page.fill("#id_headcount", "40")
    page.select_option("#id_category", "students")
    screenshot(page, "public-booking-form-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="提交预约").click()
    page.wait_for_url("**/visits/booking/received/")
    booking = Booking.objects.get()
    code = page.locator("[data-reference]")
    assert code.inner_text() == booking.reference
    assert code.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    expect(page.get_by_text("截图")).to_be_visible()
    screenshot(page, "public-booking-code-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    staff = UserFactory(username="staff", roles=[roles.BUREAU_STAFF])
    desk = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    login(desk, live_server, staff.username, PASSWORD)
    desk.goto(f"{live_server.url}/admin/visits/booking/{booking.pk}/change/")
    desk.get_by_role("link", name="批准预约").click()
    desk.get_by_role("button", name="批准预约").click()
    expect(desk.get_by_text(f"预约 {booking.reference} 已批准")).to_be_visible()

    # The day comes: the group leader scans the poster and types the code.
    Booking.objects.filter(pk=booking.pk).update(visit_on=today)
    page.goto(f"{live_server.url}/visits/check-in/{base.slug}/{check_in_signature(base)}/")
    page.fill("#id_reference", booking.reference.lower())
    page.fill("#id_headcount", "38")
    screenshot(page, "public-check-in-code-phone")
    page.get_by_role("button", name="提交登记").click()
    expect(page.get_by_text("已记录 38 人")).to_be_visible()
    # A second phone of the same group picks the booking: still one count.
    page.goto(f"{live_server.url}/visits/check-in/{base.slug}/{check_in_signature(base)}/")
    page.fill("#id_group_name", "榆次区第二中学 初一年级")
    page.get_by_label("中小学生").check()
    page.fill("#id_headcount", "38")
    page.get_by_role("button", name="提交登记").click()
    expect(page.get_by_text("只计一次")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.VISITED

    desk.goto(f"{live_server.url}/visits/statistics/?year={today.year}")
    assert desk.locator("[data-total-visits]").inner_text() == "1"
    assert desk.locator("[data-total-visitors]").inner_text() == "38"
    desk.locator("[data-chart=source] svg").first.wait_for()
    screenshot(desk, "staff-visit-statistics-sources")

    # Another approved group did not come yesterday: the day sheet reminds, staff mark it.
    absent = Booking.objects.create(
        reference="NOSHOW22",
        base=base,
        visit_on=today - datetime.timedelta(days=1),
        slot="am",
        group_name="太谷区实验小学",
        contact_name="赵老师",
        phone="13803540000",
        headcount=30,
        category="students",
        status="approved",
    )
    desk.goto(f"{live_server.url}/visits/day-sheet/")
    expect(desk.get_by_text("榆次区第二中学初一年级")).to_be_visible()
    screenshot(desk, "staff-day-sheet")
    desk.get_by_role("link", name="太谷区实验小学").click()
    desk.get_by_role("link", name="团体未到：标记为爽约").click()
    desk.get_by_role("button", name="团体未到：标记为爽约").click()
    expect(desk.get_by_text("已标记为爽约")).to_be_visible()
    absent.refresh_from_db()
    assert absent.status == Booking.Status.NO_SHOW
    assert Visit.objects.count() == 1
    desk.close()
