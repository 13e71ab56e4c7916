import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Organisation
from branches.selectors import missing_this_quarter, reminders, yearly_meetings
from tests.factories.branches import MeetingFactory, TermFactory

TODAY = datetime.date(2026, 11, 29)


def hold(organisation, kind, *dates):
    for day in dates:
        MeetingFactory(organisation=organisation, kind=kind, held_on=day)


@pytest.mark.django_db
def test_the_yearly_view_counts_each_kind_per_month_and_marks_finished_periods_missing(own_branch):
    # Committee meetings every month but April and November; one Party lecture, in Q2.
    months = [m for m in range(1, 12) if m not in (4, 11)]
    hold(own_branch, "committee_meeting", *(datetime.date(2026, m, 8) for m in months))
    hold(own_branch, "party_lecture", datetime.date(2026, 5, 20), datetime.date(2025, 2, 1))
    (year,) = yearly_meetings(
        organisations=Organisation.objects.filter(pk=own_branch.pk), year=2026, today=TODAY
    )
    rows = {row.kind: row for row in year.rows}
    committee = rows["committee_meeting"]
    assert committee.held == 9 and committee.expected == 12
    # October is the last finished month; November is still running, so it is not missing yet.
    assert committee.missing_months == {4}
    lecture = rows["party_lecture"]
    assert lecture.months[4] == 1 and lecture.held == 1
    # Q1 and Q3 ended without a lecture; Q4 is still running.
    assert lecture.missing_months == {3, 9}
    assert rows["life_meeting"].missing == 0  # the year has not ended
    (last_year,) = yearly_meetings(
        organisations=Organisation.objects.filter(pk=own_branch.pk), year=2025, today=TODAY
    )
    assert {r.kind: r.missing for r in last_year.rows}["life_meeting"] == 1
    assert {r.kind: r.held for r in last_year.rows}["party_lecture"] == 1


@pytest.mark.django_db
def test_a_general_branchs_meetings_are_counted_but_not_held_to_the_frequency(general_branch):
    hold(general_branch, "committee_meeting", datetime.date(2026, 3, 3))
    (year,) = yearly_meetings(
        organisations=Organisation.objects.filter(pk=general_branch.pk), year=2026, today=TODAY
    )
    assert not year.bound and year.missing == 0 and year.held == 1


@pytest.mark.django_db
def test_meetings_missing_this_quarter(own_branch, other_branch):
    # Q4 2026: October and November committee meetings held, no themed day, no life meeting.
    hold(own_branch, "committee_meeting", datetime.date(2026, 10, 8), datetime.date(2026, 11, 8))
    hold(own_branch, "general_meeting", datetime.date(2026, 10, 20))
    hold(own_branch, "appraisal", datetime.date(2026, 1, 20))
    missing = missing_this_quarter(organisations=[own_branch], today=TODAY)
    items = {str(label): (wanted, held) for label, wanted, held in missing[own_branch.pk]}
    assert items["支部委员会"] == (3, 2)
    assert items["主题党日"] == (3, 0)
    assert items["组织生活会"] == (1, 0)
    assert "支部党员大会" not in items and "民主评议党员" not in items


@pytest.mark.django_db
def test_reminders_list_terms_due_and_overdue(own_branch, other_branch, general_branch):
    TermFactory(organisation=own_branch, starts_on=datetime.date(2024, 3, 1))
    TermFactory(organisation=other_branch, starts_on=datetime.date(2023, 1, 1))
    TermFactory(organisation=general_branch, starts_on=datetime.date(2025, 1, 1))
    result = reminders(organisations=[own_branch, other_branch, general_branch], today=TODAY)
    assert [t.organisation for t in result["terms_due"]] == [own_branch]
    assert [t.organisation for t in result["terms_overdue"]] == [other_branch]
    only_own = reminders(organisations=[own_branch], today=TODAY)
    assert only_own["terms_overdue"] == []


@pytest.mark.django_db
def test_the_reminders_page_shows_a_secretary_their_organisations_items(
    secretary_client, own_branch, other_branch
):
    TermFactory(organisation=own_branch, starts_on=datetime.date(2020, 3, 1))
    TermFactory(organisation=other_branch, starts_on=datetime.date(2020, 1, 1))
    html = secretary_client.get(
        reverse("admin:branches_organisation_reminders_all")
    ).content.decode()
    assert "换届已超期" in html
    assert "局机关支部" in html and "市休干所老干部支部" not in html


@pytest.mark.django_db
def test_the_yearly_view_page_is_in_chinese_with_the_frequency(staff_client, own_branch):
    hold(own_branch, "themed_day", datetime.date(2025, 3, 20))
    response = staff_client.get(reverse("admin:branches_meeting_yearly"), {"year": "2025"})
    html = response.content.decode()
    assert "2025年组织生活" in html and "主题党日" in html and "全年应开展" in html
    assert response.context["year"] == 2025


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["secretary", "manager"])
def test_the_meeting_list_links_to_the_yearly_view(client, request, own_branch, persona):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("admin:branches_meeting_changelist")).content.decode()
    assert reverse("admin:branches_meeting_yearly") in html
    assert "本年度组织生活" in html


@pytest.mark.django_db
def test_the_reminders_carry_the_members_items_of_the_secretarys_branch_only(
    secretary_client, own_branch, other_branch
):
    from tests.factories.members import MemberFactory

    today = timezone.localdate()
    born = datetime.date(today.year - 80, today.month, 1)
    own = MemberFactory(organisation=own_branch, name="本支部老党员", birth_date=born)
    MemberFactory(organisation=other_branch, name="别支部老党员", birth_date=born)
    probationer = MemberFactory(
        organisation=own_branch,
        name="本支部预备党员",
        category="probationary",
        joined_on=today - datetime.timedelta(days=360),
    )
    response = secretary_client.get(
        reverse("admin:branches_organisation_reminders", args=[own_branch.pk])
    )
    context = response.context
    assert own in context["birthdays"] and own in context["care_visits_due"]
    assert list(context["probations_ending"]) == [probationer]
    html = response.content.decode()
    assert "本支部老党员" in html and "别支部老党员" not in html
    assert "今年80岁" in html and "本月生日" in html and "预备期已满或30天内期满" in html
