import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from branches.models import (
    ActivityRoom,
    AttendanceExemption,
    Honour,
    MeetingAttendance,
    Organisation,
    RoomRating,
    Term,
    TermPost,
)
from branches.services import meeting_fill_attendance
from tests.factories.branches import (
    MeetingFactory,
    OrganisationFactory,
    TermFactory,
)
from tests.factories.members import MemberFactory

TODAY = datetime.date(2026, 11, 29)


@pytest.mark.django_db
def test_a_term_falls_due_three_years_after_the_election():
    term = TermFactory(starts_on=datetime.date(2024, 2, 29))
    assert term.due_on == datetime.date(2027, 2, 28)


@pytest.mark.django_db
def test_terms_due_within_six_months_and_overdue_are_the_current_terms_only(own_branch):
    old = TermFactory(organisation=own_branch, starts_on=datetime.date(2020, 1, 10))
    due = TermFactory(organisation=own_branch, starts_on=datetime.date(2024, 3, 1))
    late_org = OrganisationFactory()
    late = TermFactory(organisation=late_org, starts_on=datetime.date(2023, 5, 1))
    TermFactory(organisation=OrganisationFactory(), starts_on=datetime.date(2025, 1, 1))
    assert list(Term.objects.current(TODAY).order_by("pk"))[:2] == [due, late]
    assert old not in Term.objects.current(TODAY)
    assert list(Term.objects.due_within(TODAY)) == [due]
    assert list(Term.objects.overdue(TODAY)) == [late]


@pytest.mark.django_db
def test_the_current_secretary_follows_from_the_current_term(own_branch):
    former, current = MemberFactory(organisation=own_branch), MemberFactory(organisation=own_branch)
    old = TermFactory(organisation=own_branch, starts_on=datetime.date(2020, 1, 10))
    new = TermFactory(organisation=own_branch, starts_on=datetime.date(2023, 1, 10))
    TermPost.objects.create(term=old, post=TermPost.Post.SECRETARY, member=former)
    TermPost.objects.create(term=new, post=TermPost.Post.SECRETARY, member=current)
    TermPost.objects.create(term=new, post=TermPost.Post.PUBLICITY, member=former)
    assert own_branch.current_secretary(TODAY) == current
    row = Organisation.objects.with_current_secretary().get(pk=own_branch.pk)
    assert row.secretary_name == current.name


@pytest.mark.django_db
def test_a_post_is_held_by_a_member_of_the_terms_organisation(own_branch, other_branch):
    term = TermFactory(organisation=own_branch)
    post = TermPost(
        term=term, post=TermPost.Post.SECRETARY, member=MemberFactory(organisation=other_branch)
    )
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "member" in error.value.message_dict


@pytest.mark.django_db
def test_member_counts_by_category_count_only_current_members(own_branch, other_branch):
    MemberFactory.create_batch(3, organisation=own_branch)
    MemberFactory(organisation=own_branch, category="probationary")
    MemberFactory(organisation=own_branch, status="deceased")
    MemberFactory(organisation=other_branch)
    rows = {o.code: o for o in Organisation.objects.with_member_counts()}
    assert (rows["jiguan"].member_count, rows["jiguan"].full_count) == (4, 3)
    assert rows["jiguan"].probationary_count == 1
    assert rows["xiugansuo-lgb"].member_count == 1
    # The general branch: the sum of its branches (FACTS.md: 67, the five branches' members).
    assert (rows["zongzhi"].member_count, rows["zongzhi"].full_count) == (5, 4)
    assert rows["zongzhi"].probationary_count == 1


@pytest.mark.django_db
def test_a_room_rating_has_one_to_five_stars():
    room = ActivityRoom.objects.create(name="活动室")
    with pytest.raises(IntegrityError):
        RoomRating.objects.create(room=room, stars=6, rated_by="市直工委", rated_on=TODAY)


@pytest.mark.django_db
def test_the_current_stars_are_the_latest_rating():
    room = ActivityRoom.objects.create(name="活动室")
    RoomRating.objects.create(
        room=room, stars=3, rated_by="市直工委", rated_on=datetime.date(2018, 1, 1)
    )
    RoomRating.objects.create(
        room=room, stars=5, rated_by="市直工委", rated_on=datetime.date(2021, 1, 1)
    )
    assert ActivityRoom.objects.with_current_stars().get().current_stars == 5


@pytest.mark.django_db
def test_an_honour_goes_to_an_organisation_or_a_member_not_both(own_branch):
    member = MemberFactory(organisation=own_branch)
    with pytest.raises(ValidationError):
        Honour(year=2020, title="优秀党员", organisation=own_branch, member=member).full_clean()
    with pytest.raises(ValidationError):
        Honour(year=2020, title="优秀党员").full_clean()
    Honour(year=2020, title="优秀党员", member=member).full_clean()


@pytest.mark.django_db
def test_absence_needs_a_reason_and_the_member_must_belong_to_the_organisation(
    own_branch, other_branch
):
    meeting = MeetingFactory(organisation=own_branch)
    absent = MeetingAttendance(
        meeting=meeting, member=MemberFactory(organisation=own_branch), status="absent"
    )
    with pytest.raises(ValidationError) as error:
        absent.full_clean()
    assert "reason" in error.value.message_dict
    outsider = MeetingAttendance(meeting=meeting, member=MemberFactory(organisation=other_branch))
    with pytest.raises(ValidationError) as error:
        outsider.full_clean()
    assert "member" in error.value.message_dict


@pytest.mark.django_db
def test_filling_the_attendance_excuses_exempted_members_from_the_expected_count(own_branch):
    here, bedridden, far = MemberFactory.create_batch(3, organisation=own_branch)
    MemberFactory(organisation=own_branch, status="transferred_out")
    MemberFactory()  # another organisation
    AttendanceExemption.objects.create(
        member=bedridden, reason="bedridden", note="卧床", starts_on=datetime.date(2025, 1, 1)
    )
    AttendanceExemption.objects.create(
        member=far,
        reason="far_away",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    meeting = MeetingFactory(organisation=own_branch, held_on=datetime.date(2026, 3, 1))
    assert meeting_fill_attendance(meeting=meeting) == 3
    assert meeting_fill_attendance(meeting=meeting) == 0
    statuses = dict(meeting.attendances.values_list("member", "status"))
    assert statuses == {here.pk: "present", bedridden.pk: "excused", far.pk: "present"}
    assert meeting.attendances.get(member=bedridden).reason.endswith("：卧床")
    assert meeting.expected_count() == 2
    assert meeting.present_count() == 2
