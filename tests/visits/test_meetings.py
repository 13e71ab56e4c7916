"""A meeting of organisational life held at a base counts as a visit of those present."""

import datetime

import pytest

from branches.models import MeetingAttendance
from members.models import Member
from tests.factories.branches import MeetingFactory
from visits.models import Visit


def member(organisation, n):
    return Member.objects.create(
        organisation=organisation,
        name=f"党员{organisation.pk}-{n}",
        gender="M",
        birth_date=datetime.date(1950, 1, 1),
        id_number=f"1407021950{organisation.pk:02d}{n:05d}X"[:18],
        joined_on=datetime.date(1975, 7, 1),
        employment=Member.Employment.RETIRED,
    )


@pytest.fixture
def members(own_branch):
    return [member(own_branch, n) for n in range(5)]


def attend(meeting, people, status="present"):
    return [
        MeetingAttendance.objects.create(meeting=meeting, member=person, status=status)
        for person in people
    ]


def test_a_meeting_at_a_base_counts_its_present_attendees(
    own_branch, own_base, members, activities
):
    meeting = MeetingFactory(
        organisation=own_branch, base=own_base, held_on=datetime.date(2024, 7, 1)
    )
    assert not Visit.objects.exists()  # nobody recorded yet
    attend(meeting, members[:3])
    attend(meeting, members[3:], status="absent")
    visit = Visit.objects.get(meeting=meeting)
    assert (visit.headcount, visit.category, visit.source) == (3, "cadres", "meeting")
    assert (visit.base, visit.visited_on) == (own_base, datetime.date(2024, 7, 1))
    assert [a.code for a in visit.activities.all()] == ["themed_day"]


def test_a_retiree_branchs_meeting_counts_retired_members(other_branch, own_base, activities):
    people = [member(other_branch, n) for n in range(2)]
    meeting = MeetingFactory(organisation=other_branch, base=own_base, kind="party_lecture")
    attend(meeting, people)
    visit = Visit.objects.get(meeting=meeting)
    assert (visit.category, visit.headcount) == ("retired", 2)
    assert [a.code for a in visit.activities.all()] == ["lecture"]


def test_changes_to_the_meeting_follow_and_removal_deletes_the_visit(
    own_branch, own_base, other_base, members, activities
):
    meeting = MeetingFactory(organisation=own_branch, base=own_base)
    rows = attend(meeting, members)
    rows[0].status = MeetingAttendance.Status.EXCUSED
    rows[0].save()
    assert Visit.objects.get(meeting=meeting).headcount == 4
    rows[1].delete()
    assert Visit.objects.get(meeting=meeting).headcount == 3
    meeting.base = other_base
    meeting.save()
    assert Visit.objects.get(meeting=meeting).base == other_base
    meeting.base = None
    meeting.save()
    assert not Visit.objects.exists()
    meeting.base = own_base
    meeting.save()
    assert Visit.objects.get(meeting=meeting).headcount == 3
    meeting.delete()
    assert not Visit.objects.exists()


def test_a_meeting_elsewhere_is_no_visit(own_branch, members):
    meeting = MeetingFactory(organisation=own_branch, base=None)
    attend(meeting, members)
    assert not Visit.objects.exists()
