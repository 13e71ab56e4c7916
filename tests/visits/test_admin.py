"""The visits and bookings admin: base-admin scoping, booking decisions, import and export."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.admin_forms import form_data
from tests.factories.visits import BookingFactory, VisitFactory
from visits.models import Booking, Visit
from visits.resources import VisitResource


def test_base_admin_sees_only_their_visits_and_bookings(
    base_admin_client, bookable_base, other_base
):
    VisitFactory(base=bookable_base, group_name="本基地的团体")
    VisitFactory(base=other_base, group_name="别的基地的团体")
    BookingFactory(base=bookable_base, group_name="本基地的预约")
    BookingFactory(base=other_base, group_name="别的基地的预约")
    visits = base_admin_client.get(reverse("admin:visits_visit_changelist")).content.decode()
    bookings = base_admin_client.get(reverse("admin:visits_booking_changelist")).content.decode()
    assert "本基地的团体" in visits and "别的基地的团体" not in visits
    assert "本基地的预约" in bookings and "别的基地的预约" not in bookings
    assert other_base.name not in visits


def test_base_admin_gets_a_404_outside_their_base(base_admin_client, other_base):
    visit = VisitFactory(base=other_base)
    booking = BookingFactory(base=other_base)
    for url in [
        reverse("admin:visits_visit_change", args=[visit.pk]),
        reverse("admin:visits_visit_history", args=[visit.pk]),
        reverse("admin:visits_booking_change", args=[booking.pk]),
        reverse("admin:visits_booking_decide", args=[booking.pk, "approve"]),
    ]:
        assert base_admin_client.get(url).status_code == 404, url
    response = base_admin_client.post(
        reverse("admin:visits_booking_decide", args=[booking.pk, "approve"])
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_base_admin_cannot_add_a_visit_to_another_base(
    base_admin_client, bookable_base, other_base
):
    response = base_admin_client.post(
        reverse("admin:visits_visit_add"),
        {
            "base": other_base.pk,
            "visited_on": "2024-05-04",
            "group_name": "越权的团体",
            "category": "students",
            "headcount": "30",
        },
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_staff_add_a_visit_from_a_paper_register(staff_client, bookable_base, activities):
    response = staff_client.post(
        reverse("admin:visits_visit_add"),
        {
            "base": bookable_base.pk,
            "visited_on": "2024-05-04",
            "group_name": "晋中市第一中学",
            "category": "students",
            "headcount": "52",
            "activities": [activities["oath"].pk],
            "guide": "张讲解员",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.source, visit.headcount, visit.guide) == ("staff", 52, "张讲解员")


def test_base_admin_approves_and_records_a_booking(base_admin_client, bookable_base, base_admin):
    booking = BookingFactory(base=bookable_base, visit_on=datetime.date(2024, 5, 7))
    change = base_admin_client.get(reverse("admin:visits_booking_change", args=[booking.pk]))
    assert "批准预约" in change.content.decode()
    base_admin_client.post(reverse("admin:visits_booking_decide", args=[booking.pk, "approve"]))
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("approved", base_admin)
    response = base_admin_client.post(
        reverse("admin:visits_booking_decide", args=[booking.pk, "record"]),
        {"headcount": "28", "guide": "", "notes": ""},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "visited"
    assert booking.visit.headcount == 28


def test_rejecting_without_a_reason_is_refused_in_chinese(staff_client, bookable_base):
    booking = BookingFactory(base=bookable_base)
    url = reverse("admin:visits_booking_decide", args=[booking.pk, "reject"])
    response = staff_client.post(url, {"reason": ""})
    assert "请填写原因" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "pending"
    staff_client.post(url, {"reason": "当日已满"})
    booking.refresh_from_db()
    assert (booking.status, booking.reason) == ("rejected", "当日已满")


def test_the_phone_is_shown_to_staff_only_in_the_admin(staff_client, bookable_base):
    booking = BookingFactory(base=bookable_base, phone="13711112222")
    page = staff_client.get(reverse("admin:visits_booking_change", args=[booking.pk]))
    assert "13711112222" in page.content.decode()


def test_bulk_approve_counts_what_it_did(staff_client, bookable_base):
    pending = BookingFactory(base=bookable_base)
    BookingFactory(base=bookable_base, status="rejected")
    response = staff_client.post(
        reverse("admin:visits_booking_changelist"),
        {"action": "approve_selected", "_selected_action": [b.pk for b in Booking.objects.all()]},
        follow=True,
    )
    assert "已批准 1 条预约" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_a_meeting_visit_is_read_only_in_the_admin(staff_client, bookable_base):
    visit = VisitFactory(base=bookable_base)
    visit.source = Visit.Source.MEETING
    visit.save()
    page = staff_client.get(reverse("admin:visits_visit_change", args=[visit.pk]))
    assert 'name="headcount"' not in page.content.decode()


@pytest.mark.parametrize("name", ["visit", "booking"])
def test_changelists_run_a_bounded_number_of_queries(
    staff_client, bookable_base, other_base, django_assert_max_num_queries, name
):
    for i in range(60):
        VisitFactory(base=bookable_base if i % 2 else other_base)
        BookingFactory(base=bookable_base if i % 2 else other_base)
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse(f"admin:visits_{name}_changelist"))
    assert response.status_code == 200


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADERS = [
    "记录编号",
    "教育基地",
    "参观日期",
    "参观团体",
    "参观人员类别",
    "人数",
    "活动项目",
    "讲解员",
    "备注",
]


def import_file(client, content):
    url = reverse("admin:visits_visit_import")
    upload = SimpleUploadedFile("登记簿.xlsx", content)
    # The import form lists csv, xlsx, …: "1" is xlsx.
    return client.post(url, {"import_file": upload, "format": "1", "resource": "0"})


def test_import_with_chinese_headers_is_all_or_nothing(staff_client, bookable_base, activities):
    good = [
        None,
        bookable_base.name,
        "2024-05-04",
        "榆次一中",
        "中小学生",
        45,
        "参观学习、重温入党誓词",
        "",
        "",
    ]
    bad = [None, "不存在的基地", "2024-05-05", "太谷二中", "小学生", -3, "", "", ""]
    response = import_file(staff_client, xlsx([HEADERS, good, bad]))
    content = response.content.decode()
    assert "没有名为“不存在的基地”的教育基地" in content
    assert "“小学生”不是可选值之一：" in content
    assert not Visit.objects.exists()


def test_a_base_admin_cannot_import_visits_of_another_base(
    base_admin_client, bookable_base, other_base
):
    row = [None, other_base.name, "2024-05-04", "外基地的团体", "中小学生", 45, "", "", ""]
    content = import_file(base_admin_client, xlsx([HEADERS, row])).content.decode()
    assert "只能导入本人负责基地的参观记录" in content
    assert not Visit.objects.exists()


def test_a_base_admin_cannot_overwrite_another_bases_visit_by_number(
    base_admin_client, bookable_base, other_base
):
    theirs = VisitFactory(base=other_base, headcount=10)
    row = [theirs.pk, bookable_base.name, "2024-05-04", "改写", "中小学生", 99, "", "", ""]
    content = import_file(base_admin_client, xlsx([HEADERS, row])).content.decode()
    assert "没有编号为" in content
    theirs.refresh_from_db()
    assert theirs.headcount == 10


def test_a_good_file_imports_as_import_visits(bookable_base, activities, bureau_staff):
    import tablib

    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(
        [
            None,
            bookable_base.name,
            "2024-05-04",
            "榆次一中",
            "中小学生",
            45,
            "参观学习、重温入党誓词",
            "王讲解员",
            "",
        ]
    )
    result = VisitResource(user=bureau_staff).import_data(dataset, dry_run=False, user=bureau_staff)
    assert not result.has_errors() and not result.has_validation_errors()
    visit = Visit.objects.get()
    assert (visit.source, visit.headcount, visit.category) == ("import", 45, "students")
    assert {a.code for a in visit.activities.all()} == {"visit", "oath"}


def test_exported_formulas_are_defused(bookable_base):
    VisitFactory(base=bookable_base, group_name='=HYPERLINK("http://x")', notes="+1")
    exported = VisitResource().export()
    row = exported.dict[0]
    assert row["参观团体"].startswith("'=")
    assert row["备注"] == "'+1"
    assert row["参观人员类别"] == "中小学生"


def test_staff_cannot_edit_a_booking_beyond_its_slots_places(staff_client, bookable_base):
    # bookable_base takes 50 a slot; another group already holds 30 of them.
    day = datetime.date(2025, 6, 10)
    BookingFactory(base=bookable_base, visit_on=day, slot="am", headcount=30, status="approved")
    booking = BookingFactory(base=bookable_base, visit_on=day, slot="am", headcount=15)
    url = reverse("admin:visits_booking_change", args=[booking.pk])
    data = form_data(staff_client.get(url))

    refused = staff_client.post(url, {**data, "headcount": "25"})
    assert refused.status_code == 200
    assert "仅剩 20 个名额" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.headcount == 15

    assert staff_client.post(url, {**data, "headcount": "20"}).status_code == 302
    booking.refresh_from_db()
    assert booking.headcount == 20
    # Moving it to the afternoon, where nobody else is, frees the morning's limit.
    assert staff_client.post(url, {**data, "slot": "pm", "headcount": "45"}).status_code == 302
