"""The dues register as secretaries keep it: months ticked for many members at once, a year
paid in one go, each month at the base in force then, exported to Excel and printable. Expected
amounts are worked out by hand from the rules (retired: 0.5% up to 5,000 yuan, 1% above)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import DuesBase, DuesPayment
from members.services import dues_base_record
from tests.admin_forms import add_inline_rows, form_data
from tests.factories.members import DuesPaymentFactory, MemberFactory

D = datetime.date
LAST_YEAR = datetime.date.today().year - 1
REGISTER = reverse("admin:members_duespayment_register")


def register(client, **params):
    return client.get(REGISTER, {"year": LAST_YEAR, **params})


def post(client, data, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": LAST_YEAR, **params}.items())
    return client.post(f"{REGISTER}?{query}", data)


@pytest.fixture
def members(own_branch, other_branch, bureau_staff):
    a = MemberFactory(organisation=own_branch, name="甲", joined_on=D(1970, 1, 1), dues_base=None)
    b = MemberFactory(organisation=own_branch, name="乙", joined_on=D(1970, 1, 1), dues_base=None)
    c = MemberFactory(organisation=other_branch, name="丙", joined_on=D(1970, 1, 1))
    c.dues_base = Decimal("4000")
    c.save()
    # 甲: 4,000 yuan until May of last year (20.00 a month), 6,000 from June (60.00).
    dues_base_record(member=a, base=Decimal("4000"), since=D(1970, 1, 1), by=bureau_staff)
    dues_base_record(member=a, base=Decimal("6000"), since=D(LAST_YEAR, 6, 1), by=bureau_staff)
    # 乙: 3,000 yuan throughout (15.00 a month).
    dues_base_record(member=b, base=Decimal("3000"), since=D(1970, 1, 1), by=bureau_staff)
    return a, b, c


@pytest.mark.django_db
def test_a_secretary_ticks_months_of_several_members_and_a_whole_year_at_once(
    secretary_client, secretary, members
):
    a, b, c = members
    DuesPaymentFactory(member=a, year=LAST_YEAR, month=1)
    response = post(
        secretary_client,
        {"pay": [f"{a.pk}-5", f"{a.pk}-6"], "whole_year": [b.pk], "paid_on": f"{LAST_YEAR}-12-20"},
    )
    assert response.status_code == 302
    paid = {
        (p.member.name, p.month): (p.amount, p.paid_on, p.recorded_by)
        for p in DuesPayment.objects.filter(recorded_by=secretary).select_related("member")
    }
    day = D(LAST_YEAR, 12, 20)
    assert paid[("甲", 5)] == (Decimal("20.00"), day, secretary)  # May: the old base
    assert paid[("甲", 6)] == (Decimal("60.00"), day, secretary)  # June: the new one
    assert sorted(m for name, m in paid if name == "乙") == list(range(1, 13))
    assert {paid[("乙", m)][0] for m in range(1, 13)} == {Decimal("15.00")}
    assert len(paid) == 14
    page = secretary_client.get(response["Location"])
    assert "已登记 14 个月的党费。" in page.content.decode()
    row = next(r for r in page.context["rows"] if r.member == a)
    assert row.unpaid_months == [2, 3, 4, 7, 8, 9, 10, 11, 12]
    # 2–4 at 20.00, 7–12 at 60.00.
    assert row.arrears == Decimal("420.00")


@pytest.mark.django_db
def test_another_branchs_member_cannot_be_ticked(secretary_client, members):
    a, b, c = members
    response = post(secretary_client, {"pay": [f"{a.pk}-3", f"{c.pk}-3"], "paid_on": "2024-01-02"})
    assert response.status_code == 403
    response = post(secretary_client, {"whole_year": [c.pk], "paid_on": "2024-01-02"})
    assert response.status_code == 403
    assert not DuesPayment.objects.exists()


@pytest.mark.django_db
def test_a_paid_month_cannot_be_ticked_again(staff_client, members):
    a, b, c = members
    DuesPaymentFactory(member=a, year=LAST_YEAR, month=3)
    response = post(staff_client, {"pay": [f"{a.pk}-3"], "paid_on": "2024-01-02"})
    assert response.status_code == 403
    assert DuesPayment.objects.count() == 1


@pytest.mark.django_db
def test_one_member_without_a_base_records_nothing(staff_client, members, own_branch):
    a, b, c = members
    nobase = MemberFactory(organisation=own_branch, name="丁", joined_on=D(1970, 1, 1))
    response = post(
        staff_client, {"pay": [f"{a.pk}-3", f"{nobase.pk}-3"], "paid_on": f"{LAST_YEAR}-04-01"}
    )
    assert response.status_code == 200
    assert "未登记任何党费：丁" in response.content.decode()
    assert not DuesPayment.objects.exists()


@pytest.mark.django_db
def test_managers_read_the_register_without_checkboxes(manager_client, members):
    a, b, c = members
    page = register(manager_client)
    assert page.status_code == 200
    assert 'name="pay"' not in page.content.decode()
    assert post(manager_client, {"pay": [f"{a.pk}-3"], "paid_on": "2024-01-02"}).status_code == 403
    assert not DuesPayment.objects.exists()


@pytest.mark.django_db
def test_a_payment_date_in_the_future_is_refused(staff_client, members):
    a, b, c = members
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = post(staff_client, {"pay": [f"{a.pk}-3"], "paid_on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "缴纳日期不能晚于今天" in response.content.decode()
    assert not DuesPayment.objects.exists()


@pytest.mark.django_db
def test_the_register_exports_to_excel(staff_client, members, own_branch):
    a, b, c = members
    DuesPaymentFactory(member=a, year=LAST_YEAR, month=1, amount=Decimal("20.00"))
    response = register(staff_client, organisation=own_branch.pk, export="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == f"{LAST_YEAR}年党费收缴台账（局机关支部）"
    header = values[1]
    assert header[0] == "姓名" and header[3] == "1月" and header[14] == "12月"
    rows = {row[0]: row for row in values[2:]}
    jia = rows["甲"]
    assert jia[3] == 20  # January, paid
    assert jia[4] == "未缴"  # February, due and unpaid
    assert jia[2] == 60  # the monthly dues at December's base
    # Due: 5 × 20.00 + 7 × 60.00; paid 20.00; arrears the rest.
    assert jia[15:18] == [520, 20, 500]
    assert rows["乙"][15:18] == [180, 0, 180]
    assert rows["合计"][15:18] == [700, 20, 680]
    assert "丙" not in rows


@pytest.mark.django_db
def test_a_new_dues_base_from_the_member_page_keeps_the_old_one(staff_client, members):
    a, b, c = members
    url = reverse("admin:members_member_change", args=[b.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    assert "dues_base" not in form.fields  # read only: it follows the history below
    data = add_inline_rows(
        form_data(page),
        "dues_bases",
        [{"since": f"{LAST_YEAR}-07-01", "base": "7000", "note": "养老金调整"}],
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert list(DuesBase.objects.filter(member=b).values_list("since", "base")) == [
        (D(1970, 1, 1), Decimal("3000.00")),
        (D(LAST_YEAR, 7, 1), Decimal("7000.00")),
    ]
    b.refresh_from_db()
    assert b.dues_base == Decimal("7000.00")
    row = next(r for r in register(staff_client).context["rows"] if r.member == b)
    # January–June at 15.00, July–December at 70.00 (7,000 × 1%).
    assert row.due == Decimal("510.00")
