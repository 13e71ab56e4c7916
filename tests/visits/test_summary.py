"""The visit summary the statistics read is the raw visits, totalled, after any write."""

import datetime
from collections import Counter

import tablib
from django.core.management import call_command

from branches.models import MeetingAttendance
from tests.factories.branches import MeetingFactory
from tests.factories.visits import VisitFactory
from visits import selectors, services, summary  # noqa: I001
from visits.models import Visit, VisitMonthSummary, VisitSummary
from visits.resources import VisitResource

from .test_admin import HEADERS
from .test_meetings import member

DAY = datetime.date(2024, 5, 4)


def raw_totals():
    """(base, day, category, source, activity or None) → (visits, visitors), from the visits."""
    totals = Counter()
    people = Counter()
    for visit in Visit.objects.prefetch_related("activities"):
        keys = [None] + [a.pk for a in visit.activities.all()]
        for activity in keys:
            key = (visit.base_id, visit.visited_on, visit.category, visit.source, activity)
            totals[key] += 1
            people[key] += visit.headcount
    return {key: (totals[key], people[key]) for key in totals}


def summary_totals():
    """The daily rows, checked first against the monthly ones (their sums per month)."""
    months = Counter()
    for r in VisitSummary.objects.all():
        key = (r.base_id, r.day.replace(day=1), r.category, r.source, r.activity_id)
        months[key, "visits"] += r.visits
        months[key, "visitors"] += r.visitors
    monthly = Counter()
    for r in VisitMonthSummary.objects.all():
        key = (r.base_id, r.month, r.category, r.source, r.activity_id)
        monthly[key, "visits"] += r.visits
        monthly[key, "visitors"] += r.visitors
    assert monthly == months
    return {
        (r.base_id, r.day, r.category, r.source, r.activity_id): (r.visits, r.visitors)
        for r in VisitSummary.objects.all()
    }


def test_the_summary_follows_every_write_of_a_visit(
    bookable_base, other_base, activities, bureau_staff, own_branch
):
    a = VisitFactory(base=bookable_base, visited_on=DAY, headcount=10)
    a.activities.set([activities["visit"], activities["oath"]])
    b = VisitFactory(base=bookable_base, visited_on=DAY, headcount=5, category="public")
    assert summary_totals() == raw_totals()
    # Moved to another base and day, its headcount changed, an activity removed.
    b.base, b.visited_on, b.headcount = other_base, DAY + datetime.timedelta(days=1), 7
    b.save()
    a.activities.remove(activities["oath"])
    assert summary_totals() == raw_totals()
    # From the activity's side, a check-in, an import and a meeting.
    activities["lecture"].visits.add(b)
    services.visit_check_in(
        base=bookable_base, group_name="某社区", category="public", headcount=3, today=DAY
    )
    row = [None, other_base.name, DAY.isoformat(), "导入的团体", "中小学生", 45, "参观学习", "", ""]
    dataset = tablib.Dataset(row, headers=HEADERS)
    VisitResource(user=bureau_staff).import_data(dataset, dry_run=False, user=bureau_staff)
    people = [member(own_branch, n) for n in range(2)]
    meeting = MeetingFactory(organisation=own_branch, base=bookable_base, held_on=DAY)
    for person in people:
        MeetingAttendance.objects.create(meeting=meeting, member=person, status="present")
    services.sync_meeting_visit(meeting)
    assert Visit.objects.count() == 5
    assert summary_totals() == raw_totals()
    # Deleted: one visit, then the meeting with its visit.
    a.delete()
    meeting.delete()
    assert summary_totals() == raw_totals()
    assert VisitSummary.objects.exists()


def test_the_command_rebuilds_the_summary_from_the_visits(bookable_base, activities):
    with summary.rebuilt_after():
        for n in range(6):
            visit = VisitFactory(base=bookable_base, visited_on=DAY, headcount=n + 1)
            visit.activities.set([activities["visit"]])
        assert not VisitSummary.objects.exists()  # paused: bulk work rebuilds once at the end
    assert summary_totals() == raw_totals()
    VisitSummary.objects.all().delete()
    call_command("rebuild_visit_summary", verbosity=0)
    assert summary_totals() == raw_totals()


def test_a_range_cutting_months_adds_the_edge_days_to_the_whole_months(bookable_base, activities):
    days = [datetime.date(2024, 1, 31), datetime.date(2024, 2, 1), datetime.date(2024, 3, 15)]
    days += [datetime.date(2024, 4, 30), datetime.date(2024, 5, 1), datetime.date(2024, 4, 2)]
    for n, day in enumerate(days):
        visit = VisitFactory(base=bookable_base, visited_on=day, headcount=10 + n)
        visit.activities.set([activities["visit"]])
    for first, last in [
        (datetime.date(2024, 1, 31), datetime.date(2024, 4, 30)),  # an edge day, whole months
        (datetime.date(2024, 2, 1), datetime.date(2024, 4, 29)),  # whole months, edge days
        (datetime.date(2024, 3, 2), datetime.date(2024, 3, 20)),  # inside one month
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),  # whole months only
    ]:
        stats = selectors.statistics(first_day=first, last_day=last)
        raw = [v.headcount for v in Visit.objects.filter(visited_on__range=(first, last))]
        assert (stats.visits, stats.visitors) == (len(raw), sum(raw)), (first, last)
        assert sum(r.visitors for r in stats.by_activity) == sum(raw)
        assert sum(r.visitors for r in stats.by_base) == sum(raw)
