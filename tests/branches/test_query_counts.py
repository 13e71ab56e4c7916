"""Admin lists of branches/ run a fixed number of queries, whatever the number of members,
meetings or attendance rows: measured at two sizes, the counts are equal."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import MeetingAttendance, RoomRating, TermPost
from members.models import Member
from tests.factories.branches import (
    ActivityRoomFactory,
    HonourFactory,
    MeetingFactory,
    OrganisationFactory,
    TermFactory,
)

PAGES = {
    "organisation": reverse("admin:branches_organisation_changelist"),
    "meeting": reverse("admin:branches_meeting_changelist"),
    "term": reverse("admin:branches_term_changelist"),
    "activityroom": reverse("admin:branches_activityroom_changelist"),
    "honour": reverse("admin:branches_honour_changelist"),
    "yearly": reverse("admin:branches_meeting_yearly") + "?year=2026",
    "reminders": reverse("admin:branches_organisation_reminders_all"),
}
# Each includes the session, user and permission queries of every admin page.
MAX_QUERIES = {
    "organisation": 11,
    "meeting": 12,
    "term": 13,
    "activityroom": 11,
    "honour": 12,
    "yearly": 10,
    "reminders": 16,
}


def members(organisation, count):
    """Bulk-made members (history is not what is measured here)."""
    start = Member.objects.count()
    Member.objects.bulk_create(
        Member(
            name=f"党员{start + i}",
            gender="F" if i % 2 else "M",
            birth_date=datetime.date(1950, 1, 1),
            id_number=f"{140702195001010000 + start + i}",
            category="probationary" if i % 10 == 0 else "full",
            joined_on=datetime.date(1975, 7, 1),
            employment="retired",
            organisation=organisation,
        )
        for i in range(count)
    )
    return list(Member.objects.filter(organisation=organisation))


def build(organisations, per_organisation):
    for organisation in organisations:
        roster = members(organisation, per_organisation)
        term = TermFactory(organisation=organisation, starts_on=datetime.date(2023, 6, 1))
        TermPost.objects.create(term=term, post="secretary", member=roster[0])
        room = ActivityRoomFactory(name=f"{organisation.name}活动室")
        room.organisations.add(organisation)
        RoomRating.objects.create(
            room=room, stars=3, rated_by="市直工委", rated_on=datetime.date(2019, 1, 1)
        )
        HonourFactory(organisation=organisation)
        HonourFactory(organisation=None, member=roster[1])
        for month in range(1, 11):
            meeting = MeetingFactory(
                organisation=organisation, held_on=datetime.date(2026, month, 5)
            )
            MeetingAttendance.objects.bulk_create(
                MeetingAttendance(meeting=meeting, member=m) for m in roster
            )


def counts(client):
    result = {}
    for name, url in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        result[name] = len(captured)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bureau_staff", "secretary"])
def test_admin_lists_do_not_grow_with_members(client, request, own_branch, other_branch, persona):
    client.force_login(request.getfixturevalue(persona))
    build([own_branch, other_branch], 10)
    small = counts(client)
    more = [OrganisationFactory() for _ in range(3)]
    for organisation in [own_branch, other_branch]:
        members(organisation, 490)
    build(more, 500)
    large = counts(client)
    assert large == small
    for page, queries in small.items():
        assert queries <= MAX_QUERIES[page], (page, queries)


@pytest.mark.django_db
def test_the_organisation_list_shows_counts_by_category(staff_client, own_branch):
    members(own_branch, 20)
    response = staff_client.get(PAGES["organisation"])
    row = next(o for o in response.context["cl"].result_list if o.pk == own_branch.pk)
    assert (row.member_count, row.full_count, row.probationary_count) == (20, 18, 2)
