"""A member's standing changes only through services, each change an event with a date and
who recorded it; the roster of any past date can be recomputed from them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members import services
from members.models import Member, MemberEvent
from members.selectors import roster_on
from tests.factories.members import MemberFactory

D = datetime.date


@pytest.mark.django_db
def test_moving_a_member_writes_an_event_and_keeps_the_past_roster(
    bureau_staff, own_branch, other_branch
):
    member = MemberFactory(organisation=own_branch, joined_on=D(1970, 1, 1))
    event = services.member_move(
        member=member, to_organisation=other_branch, on=D(2020, 6, 1), by=bureau_staff
    )
    member.refresh_from_db()
    assert member.organisation == other_branch
    assert (event.from_organisation, event.to_organisation) == (own_branch, other_branch)
    assert event.recorded_by == bureau_staff
    assert list(roster_on(D(2020, 5, 31), [own_branch])) == [member]
    assert list(roster_on(D(2020, 5, 31), [other_branch])) == []
    assert list(roster_on(D(2020, 6, 1), [other_branch])) == [member]
    assert member.history.count() >= 2


@pytest.mark.django_db
def test_a_secretary_cannot_move_a_member_into_another_branch(secretary, own_branch, other_branch):
    member = MemberFactory(organisation=own_branch)
    with pytest.raises(ValidationError) as error:
        services.member_move(
            member=member, to_organisation=other_branch, on=D(2024, 1, 1), by=secretary
        )
    assert error.value.messages == [str(services.MESSAGE_NOT_YOUR_ORGANISATION)]
    member.refresh_from_db()
    assert member.organisation == own_branch
    assert not member.events.filter(kind=MemberEvent.Kind.MOVED).exists()


@pytest.mark.django_db
def test_a_secretary_cannot_move_another_branchs_member_into_their_own(
    secretary, own_branch, other_branch
):
    member = MemberFactory(organisation=other_branch)
    with pytest.raises(ValidationError):
        services.member_move(
            member=member, to_organisation=own_branch, on=D(2024, 1, 1), by=secretary
        )


@pytest.mark.django_db
def test_leaving_members_go_to_the_history_register_and_stay_in_past_rosters(
    bureau_staff, own_branch
):
    dead = MemberFactory(organisation=own_branch, joined_on=D(1960, 3, 1))
    gone = MemberFactory(organisation=own_branch, joined_on=D(1965, 3, 1))
    staying = MemberFactory(organisation=own_branch, joined_on=D(1966, 3, 1))
    services.member_leave(
        member=dead, kind=MemberEvent.Kind.DECEASED, on=D(2023, 2, 1), by=bureau_staff
    )
    services.member_leave(
        member=gone,
        kind=MemberEvent.Kind.TRANSFERRED_OUT,
        on=D(2024, 4, 1),
        by=bureau_staff,
        place="太原市老干部局党支部",
    )
    assert set(Member.objects.current()) == {staying}
    assert set(Member.objects.former()) == {dead, gone}
    assert set(roster_on(D(2022, 12, 31))) == {dead, gone, staying}
    assert set(roster_on(D(2023, 12, 31))) == {gone, staying}
    assert set(roster_on(D(2024, 4, 1))) == {staying}
    assert set(roster_on(D(1965, 12, 31))) == {dead, gone}


@pytest.mark.django_db
def test_a_transfer_out_needs_a_destination_and_a_left_member_cannot_move(
    bureau_staff, own_branch, other_branch
):
    member = MemberFactory(organisation=own_branch)
    with pytest.raises(ValidationError) as error:
        services.member_leave(
            member=member, kind=MemberEvent.Kind.TRANSFERRED_OUT, on=D(2024, 1, 1), by=bureau_staff
        )
    assert "place" in error.value.message_dict
    services.member_leave(
        member=member, kind=MemberEvent.Kind.DECEASED, on=D(2024, 1, 1), by=bureau_staff
    )
    with pytest.raises(ValidationError):
        services.member_move(
            member=member, to_organisation=other_branch, on=D(2024, 2, 1), by=bureau_staff
        )


@pytest.mark.django_db
def test_a_change_cannot_be_dated_before_the_last_one(bureau_staff, own_branch, other_branch):
    member = MemberFactory(organisation=own_branch)
    services.member_move(
        member=member, to_organisation=other_branch, on=D(2024, 5, 1), by=bureau_staff
    )
    with pytest.raises(ValidationError) as error:
        services.member_leave(
            member=member, kind=MemberEvent.Kind.DECEASED, on=D(2024, 4, 1), by=bureau_staff
        )
    assert "2024-05-01" in error.value.messages[0]


@pytest.mark.django_db
def test_confirmation_after_a_year_of_probation(bureau_staff, own_branch):
    member = MemberFactory(
        organisation=own_branch,
        category=Member.Category.PROBATIONARY,
        joined_on=D(2023, 7, 1),
        employment=Member.Employment.IN_SERVICE,
    )
    with pytest.raises(ValidationError):
        services.member_confirm(member=member, on=D(2024, 6, 30), by=bureau_staff)
    services.member_confirm(member=member, on=D(2024, 7, 1), by=bureau_staff)
    member.refresh_from_db()
    assert member.category == Member.Category.FULL and member.confirmed_on == D(2024, 7, 1)
    assert member.party_standing(D(2025, 7, 1)) == 1
    full_then = {m.pk: m.full_on for m in roster_on(D(2024, 6, 30))}
    assert full_then == {member.pk: False}
    with pytest.raises(ValidationError):
        services.member_confirm(member=member, on=D(2024, 8, 1), by=bureau_staff)


@pytest.mark.django_db
def test_member_create_writes_the_entry_event(secretary, own_branch, other_branch):
    member = MemberFactory.build(organisation=own_branch)
    services.member_create(
        member=member,
        by=secretary,
        entry=MemberEvent.Kind.TRANSFERRED_IN,
        on=D(2020, 1, 1),
        place="太原市",
    )
    assert [e.kind for e in member.events.all()] == [MemberEvent.Kind.TRANSFERRED_IN]
    assert set(roster_on(D(2019, 12, 31))) == set()
    assert set(roster_on(D(2020, 1, 1))) == {member}
    stranger = MemberFactory.build(organisation=other_branch)
    with pytest.raises(ValidationError):
        services.member_create(member=stranger, by=secretary)
    assert stranger.pk is None


@pytest.mark.django_db
def test_a_member_who_transferred_out_transfers_back_in_under_the_same_record(
    own_branch, other_branch, bureau_staff
):
    from members import selectors, services
    from members.models import DuesPayment
    from tests.factories.members import MemberFactory

    day = datetime.date
    member = MemberFactory(organisation=own_branch, joined_on=day(1970, 1, 1))
    services.member_leave(
        member=member,
        kind=MemberEvent.Kind.TRANSFERRED_OUT,
        on=day(2023, 3, 1),
        by=bureau_staff,
        place="太原市委组织部",
    )
    event = services.member_return(
        member=member,
        to_organisation=other_branch,
        on=day(2024, 5, 10),
        by=bureau_staff,
        place="太原市委组织部",
    )
    member.refresh_from_db()
    assert (member.status, member.organisation) == (Member.Status.CURRENT, other_branch)
    assert (event.kind, event.place) == (MemberEvent.Kind.TRANSFERRED_IN, "太原市委组织部")
    assert Member.objects.count() == 1
    assert member in selectors.roster_on(day(2023, 2, 28))
    assert member not in selectors.roster_on(day(2024, 5, 9))
    on_return = selectors.roster_on(day(2024, 5, 10)).get(pk=member.pk)
    assert on_return.organisation_on == other_branch.pk
    # On the dues register of the new branch from the month of the return, not for the months away.
    assert not DuesPayment.objects.exists()
    (row,) = selectors.dues_register([other_branch], 2024, day(2024, 6, 15))
    assert row.months_on_roster == [5, 6, 7, 8, 9, 10, 11, 12]
    assert row.months_due == [5]
    (row,) = selectors.dues_register([other_branch], 2023, day(2024, 6, 15))
    assert row.months_due == [1, 2, 3]
    with pytest.raises(ValidationError):
        services.member_return(
            member=member, to_organisation=own_branch, on=day(2024, 6, 1), by=bureau_staff
        )


@pytest.mark.django_db
def test_a_wrongly_recorded_change_is_voided_with_its_reason_and_history_kept(
    own_branch, other_branch, bureau_staff
):
    from members import selectors, services
    from tests.factories.members import MemberFactory

    day = datetime.date
    member = MemberFactory(organisation=own_branch, joined_on=day(1970, 1, 1))
    moved = services.member_move(
        member=member, to_organisation=other_branch, on=day(2024, 3, 1), by=bureau_staff
    )
    died = services.member_leave(
        member=member, kind=MemberEvent.Kind.DECEASED, on=day(2024, 5, 1), by=bureau_staff
    )
    with pytest.raises(ValidationError):  # not the latest
        services.member_event_void(event=moved, reason="录错了", by=bureau_staff)
    with pytest.raises(ValidationError):  # no reason
        services.member_event_void(event=died, reason=" ", by=bureau_staff)
    services.member_event_void(event=died, reason="误登记为去世", by=bureau_staff)
    member.refresh_from_db()
    assert member.status == Member.Status.CURRENT
    assert member in roster_on(day(2024, 6, 1))
    died = MemberEvent.all_objects.get(pk=died.pk)
    assert (died.void_reason, died.voided_by) == ("误登记为去世", bureau_staff)
    assert died.voided_at is not None
    services.member_event_void(event=moved, reason="调错支部", by=bureau_staff)
    member.refresh_from_db()
    assert member.organisation == own_branch
    assert selectors.roster_on(day(2024, 6, 1)).get(pk=member.pk).organisation_on == own_branch.pk
    assert MemberEvent.all_objects.filter(member=member).count() == 4
    assert list(member.events.values_list("kind", flat=True)) == [
        MemberEvent.Kind.JOINED,
        MemberEvent.Kind.CONFIRMED,
    ]
    assert "调错支部" in member.history.first().history_change_reason
    confirmed = member.events.get(kind=MemberEvent.Kind.CONFIRMED)
    services.member_event_void(event=confirmed, reason="转正记录有误", by=bureau_staff)
    member.refresh_from_db()
    assert (member.category, member.confirmed_on) == (Member.Category.PROBATIONARY, None)
    with pytest.raises(ValidationError):  # the entry onto the roster stays
        services.member_event_void(event=member.events.get(), reason="x", by=bureau_staff)
