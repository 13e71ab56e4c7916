"""The public booking form, lookup, check-in and public statistics."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.visits import BookingFactory, VisitFactory
from visits.models import Booking, Visit
from visits.views import check_in_signature


def next_open_day(base, after=2):
    day = timezone.localdate() + datetime.timedelta(days=after)
    while not base.is_open_on(day):
        day += datetime.timedelta(days=1)
    return day


def form_data(base, **overrides):
    data = {
        "group_name": "榆次区第一中学初二（3）班",
        "contact_name": "王老师",
        "phone": "13800001234",
        "visit_on": next_open_day(base).isoformat(),
        "slot": "am",
        "headcount": "45",
        "category": "students",
        "purpose": "开学第一课",
        "token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_form_books_and_shows_the_code_with_the_phone_masked(client, bookable_base):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(bookable_base), follow=True)
    booking = Booking.objects.get()
    content = response.content.decode()
    assert booking.reference in content
    assert "138****1234" in content
    assert "13800001234" not in content


def test_groups_booking_from_the_same_cached_form_are_separate_bookings(bookable_base):
    """The form page is cached (ops.cache); each visitor still gets their own one-time token."""
    import re

    from django.test import Client

    url = reverse("visits:booking-create", args=[bookable_base.slug])
    visitors = [Client() for _ in range(3)]
    pages = [visitor.get(url) for visitor in visitors]
    assert [page["X-Portal-Cache"] for page in pages] == ["miss", "hit", "hit"]
    tokens = [
        re.search(r'name="token" value="([0-9a-f-]{36})"', page.content.decode())[1]
        for page in pages
    ]
    assert len(set(tokens)) == 3
    for number, (visitor, token) in enumerate(zip(visitors, tokens, strict=True)):
        data = form_data(bookable_base, token=token, headcount="10", group_name=f"第{number}组")
        assert visitor.post(url, data).status_code == 302
    # The same form sent twice by one visitor still books once.
    visitors[0].post(url, form_data(bookable_base, token=tokens[0], headcount="10"))
    assert Booking.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "手机号"),
        ("headcount", "0", "至少"),
        ("headcount", "abc", "整数"),
        ("group_name", "", "请填写"),
        ("visit_on", "2020-01-01", "至少提前一天"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_keeps_what_was_typed(
    client, bookable_base, field, value, message
):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    response = client.post(url, form_data(bookable_base, **{field: value}))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "榆次区第一中学" in content or field == "group_name"
    assert Booking.objects.count() == 0


def test_a_full_slot_says_how_many_places_are_left(client, bookable_base):
    day = next_open_day(bookable_base)
    BookingFactory(base=bookable_base, visit_on=day, headcount=45, status="approved")
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    response = client.post(url, form_data(bookable_base, headcount="10"))
    assert "仅剩 5 个名额" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_double_submission_books_once(client, bookable_base):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    data = form_data(bookable_base)
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert Booking.objects.count() == 1
    assert "已经收到" in response.content.decode()


def test_lookup_needs_the_code_and_the_right_phone(client, bookable_base):
    booking = BookingFactory(base=bookable_base, phone="13912345678")
    url = reverse("visits:booking-lookup")
    wrong = client.post(url, {"reference": booking.reference, "phone": "13912345679"})
    assert booking.group_name not in wrong.content.decode()
    assert "没有找到" in wrong.content.decode()
    right = client.post(url, {"reference": booking.reference.lower(), "phone": "139 1234 5678"})
    content = right.content.decode()
    assert booking.group_name in content
    assert "139****5678" in content and "13912345678" not in content


def lookup(client, booking, phone):
    return client.post(
        reverse("visits:booking-lookup"), {"reference": booking.reference, "phone": phone}
    )


def test_the_visitor_cancels_their_booking_with_a_reason(client, bookable_base):
    booking = BookingFactory(base=bookable_base, phone="13912345678")
    page = lookup(client, booking, "13912345678")
    assert "13912345678" not in page.content.decode()  # not even in a hidden field
    proof = page.context["cancel_form"].initial["proof"]
    url = reverse("visits:booking-cancel")
    refused = client.post(url, {"proof": proof, "reason": ""})
    assert refused.status_code == 400 and "请填写此项" in refused.content.decode()
    response = client.post(url, {"proof": proof, "reason": "行程有变"})
    assert response.status_code == 200
    booking.refresh_from_db()
    assert (booking.status, booking.reason) == ("cancelled", "行程有变")


def test_a_stranger_cannot_cancel_without_the_lookups_proof(client, bookable_base):
    booking = BookingFactory(base=bookable_base, phone="13912345678")
    assert lookup(client, booking, "13900000000").context["cancel_form"] is None
    for proof in [booking.reference, f"{booking.reference}:forged:sig"]:
        client.post(reverse("visits:booking-cancel"), {"proof": proof, "reason": "捣乱"})
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_check_in_needs_the_posters_signature(client, bookable_base):
    good = reverse("visits:check-in", args=[bookable_base.slug, check_in_signature(bookable_base)])
    bad = reverse("visits:check-in", args=[bookable_base.slug, "guessed"])
    assert client.get(bad).status_code == 404
    assert client.get(good).status_code == 200
    data = {"group_name": "太谷区离退休党员", "category": "retired", "headcount": "12"}
    data["token"] = str(uuid.uuid4())
    response = client.post(good, data)
    assert "已记录" in response.content.decode()
    client.post(good, data)  # the same tap twice
    visit = Visit.objects.get()
    assert (visit.source, visit.headcount, visit.base) == ("check_in", 12, bookable_base)


def test_the_public_statistics_show_aggregates_and_no_names_or_contacts(
    client, bookable_base, shut_base
):
    VisitFactory(base=bookable_base, group_name="保密的团体名称", headcount=40, guide="讲解员甲")
    VisitFactory(base=shut_base, group_name="未开放基地的团体", headcount=7)
    BookingFactory(base=bookable_base, contact_name="联系人乙", phone="13711112222")
    response = client.get(reverse("visits:public-statistics"))
    content = response.content.decode()
    assert response.status_code == 200
    for secret in [
        "保密的团体名称",
        "讲解员甲",
        "联系人乙",
        "13711112222",
        "未开放基地",
        shut_base.name,
    ]:
        assert secret not in content
    assert "data-total-visitors>40<" in content
    assert 'id="visits-chart-data"' in content
    assert "<script>" not in content.replace('<script id="visits-chart-data"', "")


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("secretary", 302), ("bureau_staff", 200), ("manager", 200), ("base_admin", 200)],
)
def test_the_staff_statistics_need_the_permission(client, request, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("visits:statistics")).status_code == status


def test_the_poster_is_for_staff_of_the_base(base_admin_client, bookable_base, other_base):
    page = base_admin_client.get(reverse("visits:poster", args=[bookable_base.slug]))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    png = base_admin_client.get(reverse("visits:poster-png", args=[bookable_base.slug]))
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = base_admin_client.get(reverse("visits:poster-svg", args=[bookable_base.slug]))
    assert b"<svg" in svg.content
    other = base_admin_client.get(reverse("visits:poster", args=[other_base.slug]))
    assert other.status_code == 404


def test_groups_checking_in_from_the_same_cached_form_are_separate_visits(bookable_base):
    """The check-in page is cached too; each phone still gets its own one-time token."""
    import re

    from django.test import Client

    url = reverse("visits:check-in", args=[bookable_base.slug, check_in_signature(bookable_base)])
    phones = [Client() for _ in range(3)]
    pages = [phone.get(url) for phone in phones]
    assert [page["X-Portal-Cache"] for page in pages] == ["miss", "hit", "hit"]
    tokens = [
        re.search(r'name="token" value="([0-9a-f-]{36})"', page.content.decode())[1]
        for page in pages
    ]
    assert len(set(tokens)) == 3
    for number, (phone, token) in enumerate(zip(phones, tokens, strict=True)):
        data = {"group_name": f"第{number}组", "category": "public", "headcount": "3"}
        assert phone.post(url, {**data, "token": token}).status_code == 200
    assert Visit.objects.filter(base=bookable_base, source="check_in").count() == 3
    # A bad signature is a 404, never a cached page.
    assert Client().get(url.replace(check_in_signature(bookable_base), "x" * 20)).status_code == 404


CONTROL_MESSAGE = "不可见的控制字符"


@pytest.mark.parametrize("field", ["group_name", "contact_name", "purpose"])
def test_the_booking_form_refuses_control_characters_in_chinese(client, bookable_base, field):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    response = client.post(url, form_data(bookable_base, **{field: "榆次\x07一中\x1b[0m"}))
    assert CONTROL_MESSAGE in response.content.decode()
    assert not Booking.objects.exists()


def test_line_breaks_in_the_purpose_are_still_accepted(client, bookable_base):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    client.post(url, form_data(bookable_base, purpose="第一行\r\n第二行"))
    assert Booking.objects.get().purpose == "第一行\r\n第二行"


def test_check_in_refuses_control_characters_in_chinese(client, bookable_base):
    url = reverse("visits:check-in", args=[bookable_base.slug, check_in_signature(bookable_base)])
    data = {"group_name": "太谷区\x07党员", "category": "retired", "headcount": "12"}
    response = client.post(url, {**data, "token": str(uuid.uuid4())})
    assert CONTROL_MESSAGE in response.content.decode()
    assert not Visit.objects.exists()


def test_lookup_and_cancel_refuse_control_characters_in_chinese(client, bookable_base):
    booking = BookingFactory(base=bookable_base, phone="13912345678")
    refused = client.post(
        reverse("visits:booking-lookup"), {"reference": "AB\x07CD", "phone": "13912345678"}
    )
    assert CONTROL_MESSAGE in refused.content.decode()
    proof = lookup(client, booking, "13912345678").context["cancel_form"].initial["proof"]
    response = client.post(reverse("visits:booking-cancel"), {"proof": proof, "reason": "有\x1b变"})
    assert CONTROL_MESSAGE in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_every_error_of_the_booking_form_is_summarised_at_once_and_marked(client, bookable_base):
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    blank = client.get(url).content.decode()
    assert '<span class="required-mark" aria-hidden="true">*</span>' in blank
    assert "form-error-summary" not in blank
    response = client.post(url, form_data(bookable_base, group_name="", phone="12", headcount=""))
    content = response.content.decode()
    summary = content.split('id="form-errors"')[1].split("</div>")[0]
    # three fields wrong: all three named in one summary, each linking to its field
    for field in ("group_name", "phone", "headcount"):
        assert f'href="#id_{field}"' in summary
        assert f'id="id_{field}"' in content
    assert content.count('aria-invalid="true"') == 3
    assert Booking.objects.count() == 0
