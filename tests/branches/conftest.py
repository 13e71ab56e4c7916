import datetime

import pytest

from branches.models import AttendanceExemption, RoomRating
from tests.factories.branches import (
    ActivityRoomFactory,
    HonourFactory,
    MeetingFactory,
    TermFactory,
)
from tests.factories.members import MemberFactory


@pytest.fixture
def other_secretary_client(client, other_secretary):
    client.force_login(other_secretary)
    return client


def records_of(organisation, label):
    """One record of every branches/ model belonging to `organisation`, keyed by model name."""
    member = MemberFactory(organisation=organisation, name=f"{label}党员")
    room = ActivityRoomFactory(name=f"{label}活动室")
    room.organisations.add(organisation)
    RoomRating.objects.create(
        room=room, stars=3, rated_by="市直工委", rated_on=datetime.date(2019, 6, 1)
    )
    meeting = MeetingFactory(organisation=organisation, topic=f"{label}主题党日")
    return {
        "organisation": organisation,
        "member": member,
        "term": TermFactory(organisation=organisation, note=f"{label}换届"),
        "activityroom": room,
        "honour": HonourFactory(organisation=organisation, title=f"{label}先进党组织"),
        "meeting": meeting,
        "attendanceexemption": AttendanceExemption.objects.create(
            member=member,
            reason="bedridden",
            note=f"{label}卧床",
            starts_on=datetime.date(2025, 1, 1),
        ),
    }


@pytest.fixture
def own_records(own_branch):
    return records_of(own_branch, "本支部")


@pytest.fixture
def other_records(other_branch):
    return records_of(other_branch, "别支部")
