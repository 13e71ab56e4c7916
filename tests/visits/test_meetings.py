"""A meeting of organisational life held at a base counts as a visit of those present, brought
in step once per save of the meeting in the admin, whatever the number of attendance rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Meeting
from members.models import Member
from tests.admin_forms import form_data
from tests.factories.branches import MeetingFactory
from visits.models import Visit

ADD = reverse("admin:branches_meeting_add")


def change(meeting):
    return reverse("admin:branches_meeting_change", args=[meeting.pk])


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


def add_meeting(client, organisation, base, kind="themed_day", held_on="2024-07-01"):
    """The admin's add page: the organisation's current members are put on the attendance."""
    data = form_data(client.get(ADD))
    data.update(
        {
            "organisation": str(organisation.pk),
            "kind": kind,
            "held_on": held_on,
            "topic": "重温入党誓词",
            "base": str(base.pk) if base else "",
        }
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["errors"]
    return Meeting.objects.get(organisation=organisation, held_on=held_on)


def mark(client, meeting, statuses):
    """The admin's change page with attendance rows marked {member: status}; the rest as shown."""
    url = change(meeting)
    data = form_data(client.get(url))
    rows = meeting.attendances.values_list("pk", "member_id")
    by_id = {str(pk): member_id for pk, member_id in rows}
    for key in [k for k in data if k.startswith("attendances-") and k.endswith("-id")]:
        status = statuses.get(by_id[data[key]])
        if status:
            prefix = key[: -len("id")]
            data[prefix + "status"] = status
            data[prefix + "reason"] = "外出" if status != "present" else ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]


def test_a_meeting_at_a_base_counts_its_present_attendees(
    staff_client, own_branch, own_base, members, activities
):
    meeting = add_meeting(staff_client, own_branch, own_base)
    visit = Visit.objects.get(meeting=meeting)
    assert (visit.headcount, visit.category, visit.source) == (5, "cadres", "meeting")
    assert (visit.base, visit.visited_on) == (own_base, datetime.date(2024, 7, 1))
    assert [a.code for a in visit.activities.all()] == ["themed_day"]
    mark(staff_client, meeting, {m.pk: "absent" for m in members[3:]})
    assert Visit.objects.get(meeting=meeting).headcount == 3


def test_a_retiree_branchs_meeting_counts_retired_members(
    staff_client, other_branch, own_base, activities
):
    for n in range(2):
        member(other_branch, n)
    meeting = add_meeting(staff_client, other_branch, own_base, kind="party_lecture")
    visit = Visit.objects.get(meeting=meeting)
    assert (visit.category, visit.headcount) == ("retired", 2)
    assert [a.code for a in visit.activities.all()] == ["lecture"]


def test_changes_to_the_meeting_follow_and_removal_deletes_the_visit(
    staff_client, own_branch, own_base, other_base, members, activities
):
    meeting = add_meeting(staff_client, own_branch, own_base)
    mark(staff_client, meeting, {members[0].pk: "excused"})
    assert Visit.objects.get(meeting=meeting).headcount == 4
    url = change(meeting)
    data = form_data(staff_client.get(url))
    data["base"] = str(other_base.pk)
    assert staff_client.post(url, data).status_code == 302
    assert Visit.objects.get(meeting=meeting).base == other_base
    data["base"] = ""
    assert staff_client.post(url, data).status_code == 302
    assert not Visit.objects.exists()
    data["base"] = str(own_base.pk)
    assert staff_client.post(url, data).status_code == 302
    assert Visit.objects.get(meeting=meeting).headcount == 4
    meeting.delete()
    assert not Visit.objects.exists()


def test_a_meeting_elsewhere_is_no_visit(staff_client, own_branch, members):
    add_meeting(staff_client, own_branch, None)
    assert not Visit.objects.exists()


def test_the_fill_action_brings_the_visit_in_step(
    staff_client, own_branch, own_base, members, activities
):
    meeting = MeetingFactory(organisation=own_branch, base=own_base)
    assert not Visit.objects.exists()  # nobody on the attendance yet
    staff_client.post(
        reverse("admin:branches_meeting_changelist"),
        {"action": "fill_attendance", "_selected_action": [meeting.pk]},
    )
    assert meeting.attendances.count() == 5
    assert Visit.objects.get(meeting=meeting).headcount == 5


def _visit_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "visits_" in q["sql"]]


def _fill_and_mark(client, organisation, base, size):
    people = [member(organisation, n) for n in range(size)]
    with CaptureQueriesContext(connection) as added:
        meeting = add_meeting(client, organisation, base)
    with CaptureQueriesContext(connection) as marked:
        mark(client, meeting, {person.pk: "absent" for person in people[:2]})
    return meeting, added, marked


def test_filling_a_50_member_meeting_syncs_its_visit_once(
    staff_client, own_branch, other_branch, own_base, activities
):
    small, small_added, small_marked = _fill_and_mark(staff_client, own_branch, own_base, 5)
    big, big_added, big_marked = _fill_and_mark(staff_client, other_branch, own_base, 50)
    assert Visit.objects.get(meeting=small).headcount == 3
    assert Visit.objects.get(meeting=big).headcount == 48
    # The add page fills the attendance in bulk and syncs the visit once: no query per member.
    assert len(big_added) == len(small_added)
    # Marking rows on the change page validates each row, but the visit is synced once.
    assert _visit_queries(big_marked)
    assert len(_visit_queries(big_marked)) == len(_visit_queries(small_marked))
