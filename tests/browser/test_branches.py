"""A branch secretary in Chromium: the year's organisational life, a new meeting whose attendance
fills from the roster, and the reminders; bureau staff see every organisation's reminders."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from branches.models import Meeting
from tests.browser.conftest import login
from tests.factories.accounts import PASSWORD
from tests.factories.branches import MeetingFactory, TermFactory
from tests.factories.members import MemberFactory


@pytest.fixture
def branch_life(own_branch, other_branch):
    """局机关支部 with members and most of last year's meetings; 市休干所老干部支部 overdue."""
    MemberFactory.create_batch(4, organisation=own_branch)
    year = timezone.localdate().year - 1
    for month in range(1, 13):
        MeetingFactory(
            organisation=own_branch,
            kind="committee_meeting",
            held_on=datetime.date(year, month, 8),
            topic="研究本月组织生活安排",
        )
        if month not in (5, 9):
            MeetingFactory(
                organisation=own_branch,
                kind="themed_day",
                held_on=datetime.date(year, month, 20),
                topic="重温入党誓词",
            )
        if month % 3 == 0:
            MeetingFactory(
                organisation=own_branch,
                kind="general_meeting",
                held_on=datetime.date(year, month, 25),
                topic="学习党章",
            )
    MeetingFactory(organisation=other_branch, topic="别的支部的主题党日")
    TermFactory(organisation=other_branch, starts_on=datetime.date(2020, 1, 1))
    TermFactory(
        organisation=own_branch, starts_on=timezone.localdate() - datetime.timedelta(days=900)
    )
    return year


def test_a_secretary_sees_the_years_organisational_life_and_what_is_missing(
    live_server, page, secretary, branch_life, screenshot
):
    login(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/admin/branches/meeting/yearly/?year={branch_life}")
    assert page.get_by_role("heading", name=f"{branch_life}年组织生活").is_visible()
    table = page.locator("#org-jiguan")
    assert table.get_by_role("heading", name=f"局机关支部 · {branch_life}").is_visible()
    assert page.locator("#org-xiugansuo-lgb").count() == 0
    themed = table.get_by_role("row", name="主题党日")
    assert themed.locator("td.missing").count() == 3  # May, September, and the total
    screenshot(page, "secretary-meetings-yearly")


def test_a_secretary_records_a_meeting_for_their_branch_only(
    live_server, page, secretary, branch_life, screenshot
):
    login(page, live_server, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/admin/branches/meeting/add/")
    options = page.locator("#id_organisation option").all_inner_texts()
    assert "局机关支部" in options and "市休干所老干部支部" not in options
    page.select_option("#id_organisation", label="局机关支部")
    page.select_option("#id_kind", label="党课")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_topic", "书记讲党课：忆党史、强信念、跟党走")
    page.fill("#id_place", "党员活动室")
    screenshot(page, "secretary-meeting-add")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/branches/meeting/")
    meeting = Meeting.objects.get(topic="书记讲党课：忆党史、强信念、跟党走")
    assert meeting.attendances.count() == 4
    assert page.get_by_role("link", name="书记讲党课：忆党史、强信念、跟党走").is_visible()


def test_bureau_staff_see_the_workbench_and_the_reminders_of_every_organisation(
    live_server, page, bureau_staff, branch_life, screenshot
):
    login(page, live_server, "staff", PASSWORD)
    screenshot(page, "staff-workbench")
    page.locator("#workbench-shortcuts").get_by_role("link", name="全部提醒事项").click()
    # The click starts a navigation; wait for the new page rather than read the old one.
    expect(page.get_by_role("heading", name="换届已超期")).to_be_visible()
    screenshot(page, "staff-reminders")
