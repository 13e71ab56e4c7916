"""secretary_jiguan edits a member of 局机关支部 and gets a 404 for a member of another branch;
bureau staff see the roster, the care page and the dues register (screenshots for docs/guide.md)."""

import datetime
from decimal import Decimal

import pytest

from core import roles
from tests.browser.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.members import CareVisitFactory, DuesPaymentFactory, MemberFactory


@pytest.fixture
def roster(own_branch, other_branch):
    today = datetime.date.today()
    own = MemberFactory(
        name="张守仁",
        organisation=own_branch,
        gender="M",
        birth_date=datetime.date(today.year - 80, today.month, 1),
        dues_base=Decimal("6000"),
        speech_loss=True,
    )
    MemberFactory(name="王建华", organisation=own_branch, gender="F", dues_base=Decimal("4000"))
    other = MemberFactory(name="李秀英", organisation=other_branch, gender="F")
    DuesPaymentFactory(member=own, year=today.year, month=1)
    CareVisitFactory(member=own, visited_on=datetime.date(today.year - 1, 12, 1))
    return own, other


def test_secretary_edits_their_member_and_cannot_open_another_branchs(
    live_server, page, own_branch, roster, screenshot
):
    own, other = roster
    user = UserFactory(username="secretary_jiguan", roles=[roles.BRANCH_SECRETARY])
    own_branch.secretaries.add(user)
    login(page, live_server, "secretary_jiguan", PASSWORD)
    page.goto(f"{live_server.url}/admin/members/member/")
    assert page.get_by_role("link", name="张守仁").is_visible()
    assert page.get_by_text("李秀英").count() == 0
    assert page.get_by_text(own.id_number).count() == 0
    screenshot(page, "secretary-member-list")
    page.get_by_role("link", name="张守仁").click()
    page.wait_for_url(f"**/admin/members/member/{own.pk}/change/")
    assert page.get_by_text(own.id_number[:4] + "*" * 10 + own.id_number[-4:]).is_visible()
    page.fill("#id_phone", "13903541234")
    screenshot(page, "secretary-member-change")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/members/member/")
    assert page.locator(".messagelist .success").is_visible()
    own.refresh_from_db()
    assert own.phone == "13903541234"
    response = page.goto(f"{live_server.url}/admin/members/member/{other.pk}/change/")
    assert response.status == 404


def test_staff_see_the_roster_care_page_and_dues_register(live_server, page, roster, screenshot):
    UserFactory(username="staff", roles=[roles.BUREAU_STAFF])
    login(page, live_server, "staff", PASSWORD)
    page.goto(f"{live_server.url}/admin/members/member/")
    assert page.get_by_role("link", name="李秀英").is_visible()
    screenshot(page, "staff-member-list")
    page.get_by_role("link", name="关心关爱", exact=True).click()
    page.wait_for_url("**/admin/members/member/care/")
    assert page.locator("#care-visits-due").get_by_text("张守仁").is_visible()
    screenshot(page, "staff-member-care")
    page.goto(f"{live_server.url}/admin/members/duespayment/register/")
    assert page.locator("#dues-register").get_by_text("张守仁").is_visible()
    screenshot(page, "staff-dues-register")


def test_a_bad_spreadsheet_shows_its_errors_row_by_row(
    live_server, page, own_branch, tmp_path, screenshot
):
    from members.models import Member
    from tests.members.test_import import good_rows, workbook

    UserFactory(username="staff", roles=[roles.BUREAU_STAFF])
    rows = good_rows()
    rows[0][5] = rows[0][5][:-1] + ("0" if rows[0][5][-1] != "0" else "1")
    rows[1][12] = "不存在的支部"
    path = tmp_path / "党员花名册.xlsx"
    path.write_bytes(workbook(rows).getvalue())
    login(page, live_server, "staff", PASSWORD)
    page.goto(f"{live_server.url}/admin/members/member/import/")
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="xlsx")
    page.locator("input[type=submit]").click()
    errors = page.locator("table.import-errors")
    errors.wait_for()
    # Visible without hovering (a touch screen cannot hover): row, column and message.
    first = errors.locator("tbody tr").filter(has_text="身份证号码校验码不正确，请核对号码。")
    assert first.is_visible() and first.locator("td").first.inner_text() == "2"
    second = errors.locator("tbody tr").filter(has_text="没有名称或代码为“不存在的支部”的党组织。")
    assert second.is_visible() and second.locator("td").nth(1).inner_text() == "所在党支部"
    assert page.locator("input[name=import_file_name]").count() == 0  # nothing to confirm
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        errors.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, "staff-member-import-errors" + ("-phone" if width == 390 else ""))
    assert not Member.objects.exists()


def test_secretary_ticks_dues_on_the_register_and_prints_it(
    live_server, page, own_branch, roster, screenshot
):
    from members.models import DuesPayment

    own, _other = roster
    user = UserFactory(username="secretary_jiguan", roles=[roles.BRANCH_SECRETARY])
    own_branch.secretaries.add(user)
    today = datetime.date.today()
    login(page, live_server, "secretary_jiguan", PASSWORD)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/admin/members/duespayment/register/")
        register = page.locator("#dues-register")
        assert register.get_by_text("张守仁").is_visible()
        # The twelve months scroll inside their box; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, "secretary-dues-register" + ("-phone" if width == 390 else ""))
    wang = register.locator("tr").filter(has_text="王建华")
    wang.locator("input[name=whole_year]").check()
    # February of 张守仁 (paid in advance early in the year), every month of 王建华.
    register.locator("tr").filter(has_text="张守仁").locator(
        f"input[name=pay][value='{own.pk}-2']"
    ).check()
    page.get_by_role("button", name="登记勾选的月份为已缴").click()
    page.wait_for_load_state()
    assert page.get_by_text("已登记 13 个月的党费。").is_visible()
    assert DuesPayment.objects.filter(member__name="王建华", year=today.year).count() == 12
    assert DuesPayment.objects.filter(recorded_by=user).count() == 13
    page.emulate_media(media="print")
    assert not page.locator("#nav-sidebar").is_visible()
    assert not page.locator("input[name=pay]").first.is_visible()
    assert page.locator(".dues-register-scope").is_visible()
    screenshot(page, "secretary-dues-register-print")
