"""The statistics are aggregated in the database: a fixed number of queries at any size."""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.exhibitions import EducationBaseFactory
from tests.factories.visits import VisitFactory
from visits import selectors
from visits.models import Visit


def build(size, activities):
    bases = [
        EducationBaseFactory(kind=kind, county=county)
        for kind, county in [("independent", "yuci"), ("joint", "taigu"), ("sub_base", "pingyao")]
    ]
    categories = Visit.Category.values
    for i in range(size):
        visit = VisitFactory(
            base=bases[i % 3],
            visited_on=datetime.date(2021 + i % 4, 1 + i % 12, 1 + i % 28),
            category=categories[i % 4],
            headcount=10 + i,
        )
        visit.activities.set([activities["visit"], activities["oath"]][: 1 + i % 2])
    return bases


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["visits:statistics", "visits:public-statistics"])
def test_statistics_pages_run_the_same_queries_at_any_size(
    staff_client, activities, name, django_assert_max_num_queries
):
    build(4, activities)
    small = count(staff_client, reverse(name))
    build(80, activities)
    large = count(staff_client, reverse(name) + "?start=2021-01-01&end=2024-12-31")
    assert small == large
    # session, user, permissions (2), years, bases, three aggregates, activities, poster bases,
    # session save (3)
    with django_assert_max_num_queries(14):
        staff_client.get(reverse(name) + "?year=2023")


def test_totals_by_every_dimension_add_up(activities):
    build(40, activities)
    stats = selectors.statistics(
        first_day=datetime.date(2021, 1, 1), last_day=datetime.date(2024, 12, 31)
    )
    expected = sum(10 + i for i in range(40))
    assert stats.visitors == expected
    for rows in [stats.by_year, stats.by_month, stats.by_category, stats.by_kind]:
        assert sum(r.visitors for r in rows) == expected
    assert sum(r.visitors for r in stats.by_county) == expected
    assert sum(r.visits for r in stats.by_base) == 40
    by_activity = {r.key: r.visits for r in stats.by_activity}
    assert by_activity[activities["visit"].pk] == 40
    assert by_activity[activities["oath"].pk] == 20


def test_a_year_keeps_to_that_year(activities):
    build(8, activities)  # two visits in each of 2021-2024
    stats = selectors.statistics(
        first_day=datetime.date(2022, 1, 1), last_day=datetime.date(2022, 12, 31)
    )
    assert stats.visits == 2
    assert [r.key for r in stats.by_year] == [2022]


def test_a_base_admin_sees_the_statistics_of_their_base_only(
    base_admin_client, own_base, other_base
):
    VisitFactory(base=own_base, headcount=11, visited_on=datetime.date(2024, 3, 1))
    VisitFactory(base=other_base, headcount=900, visited_on=datetime.date(2024, 3, 1))
    content = base_admin_client.get(reverse("visits:statistics") + "?year=2024").content.decode()
    assert "data-total-visitors>11<" in content
    assert other_base.name not in content


def test_a_reversed_range_is_explained(staff_client):
    response = staff_client.get(reverse("visits:statistics") + "?start=2024-05-01&end=2024-01-01")
    assert "截止日期早于起始日期" in response.content.decode()


def test_staff_totals_follow_every_new_visit_and_never_cross_scopes(
    staff_client, base_admin, own_base, activities
):
    from django.test import Client

    base_admin_client = Client()  # the persona clients share one test client
    base_admin_client.force_login(base_admin)
    bases = build(8, activities)
    VisitFactory(base=own_base, visited_on=datetime.date(2023, 5, 4), headcount=7)
    url = reverse("visits:statistics") + "?year=2023"
    assert (
        staff_client.get(url).context["stats"].visitors
        == Visit.objects.filter(visited_on__year=2023).aggregate(n=Sum("headcount"))["n"]
    )
    # A base administrator gets their own base's totals, not the staff's cached ones.
    assert base_admin_client.get(url).context["stats"].visitors == 7
    # A new visit is counted at once.
    VisitFactory(base=bases[0], visited_on=datetime.date(2023, 6, 1), headcount=1000)
    assert (
        staff_client.get(url).context["stats"].visitors
        == Visit.objects.filter(visited_on__year=2023).aggregate(n=Sum("headcount"))["n"]
    )
