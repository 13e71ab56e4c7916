"""The reminders the branches' reminders page shows, read from members/selectors.py."""

import datetime
from decimal import Decimal

import pytest

from members import selectors
from members.models import Member, MemberEvent
from tests.factories.members import CareVisitFactory, DuesPaymentFactory, MemberFactory

D = datetime.date
TODAY = D(2024, 6, 15)


@pytest.mark.django_db
def test_probations_ending_lists_those_due_within_thirty_days(own_branch):
    def probationary(joined):
        return MemberFactory(
            organisation=own_branch,
            category=Member.Category.PROBATIONARY,
            joined_on=joined,
            birth_date=D(1990, 1, 1),
            employment=Member.Employment.IN_SERVICE,
        )

    overdue = probationary(D(2023, 3, 1))
    soon = probationary(D(2023, 7, 15))
    probationary(D(2023, 7, 16))  # 31 days away
    MemberFactory(organisation=own_branch, joined_on=D(2020, 1, 1))  # full
    result = list(selectors.probations_ending(Member.objects.all(), TODAY))
    assert result == [overdue, soon]
    assert soon.probation_ends_on == D(2024, 7, 15)


@pytest.mark.django_db
def test_birthdays_this_month_in_day_order_without_former_members(own_branch, bureau_staff):
    late = MemberFactory(organisation=own_branch, birth_date=D(1940, 6, 28))
    early = MemberFactory(organisation=own_branch, birth_date=D(1950, 6, 2))
    MemberFactory(organisation=own_branch, birth_date=D(1950, 7, 2))
    dead = MemberFactory(organisation=own_branch, birth_date=D(1930, 6, 3))
    from members.services import member_leave

    member_leave(member=dead, kind=MemberEvent.Kind.DECEASED, on=D(2024, 1, 1), by=bureau_staff)
    result = list(selectors.birthdays_this_month(Member.objects.all(), TODAY))
    assert result == [early, late]
    assert [m.age_turning for m in result] == [74, 84]


@pytest.mark.django_db
def test_care_visits_due_for_milestone_birthdays_and_three_losses(own_branch):
    eighty = MemberFactory(organisation=own_branch, birth_date=D(1944, 9, 1))
    ninety_visited = MemberFactory(organisation=own_branch, birth_date=D(1934, 2, 1))
    CareVisitFactory(member=ninety_visited, visited_on=D(2024, 2, 1), kind="birthday")
    aphasic = MemberFactory(organisation=own_branch, birth_date=D(1938, 1, 1), speech_loss=True)
    CareVisitFactory(member=aphasic, visited_on=D(2024, 3, 30))  # last quarter
    severe_visited = MemberFactory(
        organisation=own_branch, birth_date=D(1939, 1, 1), care_level="severe"
    )
    CareVisitFactory(member=severe_visited, visited_on=D(2024, 4, 2))
    MemberFactory(organisation=own_branch, birth_date=D(1945, 1, 1))  # 79, healthy
    MemberFactory(organisation=own_branch, birth_date=D(1940, 1, 1), care_level="mild")
    result = {m.pk: m for m in selectors.care_visits_due(Member.objects.all(), TODAY)}
    assert set(result) == {eighty.pk, aphasic.pk}
    assert result[aphasic.pk].last_visit_on == D(2024, 3, 30)
    assert result[aphasic.pk].needs_regular_care and not result[eighty.pk].needs_regular_care


@pytest.mark.django_db
def test_turning_milestones_and_fifty_years_of_standing(own_branch):
    hundred = MemberFactory(organisation=own_branch, birth_date=D(1924, 3, 3))
    MemberFactory(organisation=own_branch, birth_date=D(1925, 3, 3))
    honoured = MemberFactory(
        organisation=own_branch,
        birth_date=D(1950, 1, 1),
        joined_on=D(1973, 5, 1),
        confirmed_on=D(1974, 5, 1),
    )
    MemberFactory(
        organisation=own_branch,
        birth_date=D(1950, 1, 1),
        joined_on=D(1974, 5, 1),
        confirmed_on=D(1975, 5, 1),
    )
    assert list(selectors.turning_milestones(Member.objects.all(), 2024)) == [hundred]
    assert list(selectors.standing_honours(Member.objects.all(), 2024)) == [honoured]
    assert honoured.party_standing(D(2024, 5, 1)) == 50


@pytest.mark.django_db
def test_dues_in_arrears_counts_months_up_to_now(own_branch, other_branch):
    retiree = MemberFactory(organisation=own_branch, dues_base=Decimal("6000"))
    worker = MemberFactory(
        organisation=own_branch,
        dues_base=Decimal("8000"),
        employment=Member.Employment.IN_SERVICE,
        birth_date=D(1980, 1, 1),
    )
    newcomer = MemberFactory(
        organisation=own_branch,
        birth_date=D(1990, 1, 1),
        joined_on=D(2024, 4, 20),
        category=Member.Category.PROBATIONARY,
        employment=Member.Employment.IN_SERVICE,
        dues_base=Decimal("3000"),
    )
    MemberFactory(organisation=other_branch, dues_base=Decimal("6000"))
    for month in range(1, 7):
        DuesPaymentFactory(member=retiree, year=2024, month=month)
    for month in range(1, 4):
        DuesPaymentFactory(member=worker, year=2024, month=month)
    rows = {row.member: row for row in selectors.dues_in_arrears([own_branch], 2024, TODAY)}
    assert set(rows) == {worker, newcomer}
    assert rows[worker].unpaid_months == [4, 5, 6]
    assert rows[worker].arrears == Decimal("360.00")  # 8000 × 1.5% × 3
    assert rows[newcomer].unpaid_months == [4, 5, 6]
    assert rows[newcomer].arrears == Decimal("45.00")  # 3000 × 0.5% × 3


@pytest.mark.parametrize(
    "employment, base, rate",
    [
        ("in_service", "3000", "0.005"),
        ("in_service", "3000.01", "0.01"),
        ("in_service", "5000", "0.01"),
        ("in_service", "10000", "0.015"),
        ("in_service", "10000.01", "0.02"),
        ("retired", "5000", "0.005"),
        ("retired", "5000.01", "0.01"),
        ("lixiu", "9000", "0.01"),
    ],
)
def test_dues_rates_follow_the_organisation_departments_bands(employment, base, rate):
    from members.models import dues_rate

    assert dues_rate(employment, Decimal(base)) == Decimal(rate)


@pytest.mark.django_db
def test_roster_selectors_run_a_fixed_number_of_queries(own_branch, django_assert_num_queries):
    MemberFactory.create_batch(5, organisation=own_branch, dues_base=Decimal("4000"))
    members = Member.objects.all()
    with django_assert_num_queries(1):
        list(selectors.roster_on(TODAY, [own_branch]))
    with django_assert_num_queries(1):
        list(selectors.care_visits_due(members, TODAY))
    with django_assert_num_queries(2):
        selectors.dues_register([own_branch], 2024, TODAY)
