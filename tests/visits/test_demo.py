"""The demo's visits reproduce FACTS.md exactly, and the statistics page shows it."""

import datetime
import re

import pytest
from django.db.models import Sum
from django.urls import reverse

from exhibitions.models import EducationBase
from visits import demo
from visits.models import Booking, Visit


def visitors(**filters):
    return Visit.objects.filter(**filters).aggregate(n=Sum("headcount"))["n"] or 0


@pytest.fixture
def loaded(demo, db):
    """Each test runs in its own savepoint inside the module's demo, so a test that adds rows
    leaves the next one the demo as loaded."""


def test_the_demo_reproduces_the_facts_exactly(loaded):
    shared = {"base__kind__in": ["independent", "joint"]}
    assert visitors(category="cadres", **shared) == 18_000
    assert visitors(category="students", **shared) == 185_000
    assert visitors(category="retired", **shared) == 22_000
    assert visitors(category="public", **shared) == 0
    assert visitors(base__kind="sub_base") == 25_000
    assert visitors() == 250_000
    public = EducationBase.objects.public()
    assert not Visit.objects.exclude(base__in=public).exists()
    assert Visit.objects.filter(visited_on__lt=datetime.date(2021, 1, 1)).count() == 0
    assert set(Visit.objects.values_list("source", flat=True)) >= {
        "staff",
        "import",
        "check_in",
        "booking",
    }
    assert set(Booking.objects.values_list("status", flat=True)) == set(Booking.Status.values)


def test_meeting_visits_count_toward_the_totals(loaded):
    meeting_visits = Visit.objects.filter(source="meeting")
    for visit in meeting_visits.select_related("meeting"):
        assert visit.meeting.base_id == visit.base_id
    assert visitors() == 250_000


def test_the_statistics_page_shows_the_facts(loaded, manager_client):
    content = manager_client.get(reverse("visits:statistics")).content.decode()
    shared_row = re.search(r"<tr[^>]*data-shared[^>]*>(.*?)</tr>", content, re.S).group(1)
    cells = [int(c.replace(",", "")) for c in re.findall(r">([\d,]+)</td>", shared_row)]
    assert cells == [18_000, 185_000, 22_000, 0, 225_000]
    total = re.search(r"data-total-visitors>([\d,]+)<", content).group(1)
    assert int(total.replace(",", "")) == 250_000


def statistics_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for name in ["visits:statistics", "visits:public-statistics"]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        counts.append(len(captured))
    return counts


def test_a_larger_scale_makes_more_rows_with_the_same_totals_and_queries(loaded, manager_client):
    from core.demo import DemoContext

    rows = Visit.objects.count()
    queries = statistics_queries(manager_client)
    demo.load(DemoContext(scale=3))
    assert Visit.objects.count() > 2 * rows
    assert visitors() == 250_000
    assert visitors(category="students", base__kind__in=["independent", "joint"]) == 185_000
    assert statistics_queries(manager_client) == queries
