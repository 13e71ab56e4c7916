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


@pytest.fixture
def dues_members(own_branch, other_branch):
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
    for month in range(1, 6):
        DuesPaymentFactory(member=retiree, year=2024, month=month)
    for month in range(1, 4):
        DuesPaymentFactory(member=worker, year=2024, month=month)
    return retiree, worker, newcomer


@pytest.mark.django_db
def test_a_month_is_due_when_it_ends(own_branch, dues_members):
    """On 15 June the months to June's end are on the roster; January to May are due."""
    retiree, worker, newcomer = dues_members
    rows = {row.member: row for row in selectors.dues_in_arrears([own_branch], 2024, TODAY)}
    assert set(rows) == {worker, newcomer}
    assert rows[worker].unpaid_months == [4, 5]
    assert rows[worker].arrears == Decimal("240.00")  # 8000 × 1.5% × 2
    assert rows[newcomer].unpaid_months == [4, 5]  # joined on 20 April: April counts
    assert rows[newcomer].arrears == Decimal("30.00")  # 3000 × 0.5% × 2


@pytest.mark.django_db
def test_nobody_is_in_arrears_for_a_month_that_has_just_begun(own_branch, dues_members):
    retiree, worker, newcomer = dues_members
    rows = {row.member: row for row in selectors.dues_in_arrears([own_branch], 2024, D(2024, 6, 1))}
    assert set(rows) == {worker, newcomer}
    assert rows[worker].unpaid_months == [4, 5]
    rows = {
        row.member: row for row in selectors.dues_in_arrears([own_branch], 2024, D(2024, 5, 31))
    }
    assert rows[worker].unpaid_months == [4]
    assert rows[newcomer].unpaid_months == [4]
    assert retiree not in rows


@pytest.mark.django_db
def test_a_configured_day_makes_the_month_due_within_it(own_branch, dues_members, settings):
    settings.PORTAL_DUES_DAY = 10
    retiree, worker, newcomer = dues_members
    rows = {row.member: row for row in selectors.dues_in_arrears([own_branch], 2024, TODAY)}
    assert set(rows) == {retiree, worker, newcomer}
    assert rows[retiree].unpaid_months == [6]
    assert rows[worker].unpaid_months == [4, 5, 6]
    assert rows[worker].arrears == Decimal("360.00")
    on_the_ninth = selectors.dues_in_arrears([own_branch], 2024, D(2024, 6, 9))
    assert {row.member for row in on_the_ninth} == {worker, newcomer}


@pytest.mark.django_db
def test_a_member_who_left_owes_only_their_months(own_branch, bureau_staff):
    from members.services import member_leave

    leaver = MemberFactory(organisation=own_branch, dues_base=Decimal("4000"))
    DuesPaymentFactory(member=leaver, year=2024, month=1)
    member_leave(
        member=leaver,
        kind=MemberEvent.Kind.TRANSFERRED_OUT,
        on=D(2024, 3, 10),
        by=bureau_staff,
        place="太原市",
    )
    gone_before = MemberFactory(organisation=own_branch, dues_base=Decimal("4000"))
    member_leave(
        member=gone_before, kind=MemberEvent.Kind.DECEASED, on=D(2023, 11, 2), by=bureau_staff
    )
    register = {row.member: row for row in selectors.dues_register([own_branch], 2024, TODAY)}
    assert set(register) == {leaver}
    assert register[leaver].months_on_roster == [1, 2, 3]
    assert register[leaver].unpaid_months == [2, 3]
    assert register[leaver].arrears == Decimal("40.00")  # 4000 × 0.5% × 2
    assert register[leaver].payable_months == [2, 3]


@pytest.mark.django_db
def test_past_months_are_priced_at_the_base_in_force_then(own_branch, bureau_staff):
    from members.services import dues_base_record, dues_record

    member = MemberFactory(organisation=own_branch, joined_on=D(1970, 1, 1), dues_base=None)
    dues_base_record(member=member, base=Decimal("4000"), since=D(2023, 1, 1), by=bureau_staff)
    dues_base_record(member=member, base=Decimal("6000"), since=D(2024, 3, 15), by=bureau_staff)
    member.refresh_from_db()
    assert member.dues_base == Decimal("6000.00")  # the base in force today
    assert member.dues_bases.count() == 2
    (row,) = selectors.dues_register([own_branch], 2023, TODAY)
    assert set(row.amounts.values()) == {Decimal("20.00")}  # 4000 × 0.5%
    assert row.due == Decimal("240.00")
    (row,) = selectors.dues_register([own_branch], 2024, TODAY)
    # January and February at 4000 × 0.5%, March to May at 6000 × 1%.
    assert row.due == Decimal("220.00")
    assert row.amounts[12] == Decimal("60.00")
    payment = dues_record(member=member, year=2023, month=5, paid_on=TODAY, by=bureau_staff)
    assert (payment.base, payment.rate, payment.amount) == (
        Decimal("4000.00"),
        Decimal("0.005"),
        Decimal("20.00"),
    )


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
    with django_assert_num_queries(3):
        selectors.dues_register([own_branch], 2024, TODAY)
