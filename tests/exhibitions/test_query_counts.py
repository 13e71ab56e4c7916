"""The public pages run a fixed number of queries, whatever the number of bases, sections,
images, displays, visits and meetings: measured at two data sizes, the counts are equal."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exhibitions.models import Activity, BaseImage, SectionImage
from redhistory.models import OralHistory, Release, Veteran
from tests.factories.branches import MeetingFactory
from tests.factories.exhibitions import EducationBaseFactory, ExhibitionSectionFactory

from .conftest import display, make_artefact, make_visit

# home: the six figures, bases and stories as before, plus all bases for the map (one query),
# the veterans and donors figures and the artefacts shown (13 in all, whatever the table sizes)
MAX_QUERIES = {"home": 13, "list": 2, "detail": 10}


def build(size):
    veteran = Veteran.objects.create(name="李老", gender="M", birth_year=1925, county="yuci")
    bases = []
    for i in range(size):
        base = EducationBaseFactory(featured=i % 2 == 0, cover="demo/bases/x.jpg")
        base.activities.set(Activity.objects.all()[: 1 + i % 6])
        BaseImage.objects.bulk_create(
            BaseImage(base=base, order=n, image=f"demo/bases/g{n}.jpg") for n in range(size)
        )
        for order in range(size):
            section = ExhibitionSectionFactory(base=base, order=order)
            SectionImage.objects.bulk_create(
                SectionImage(section=section, order=n, image="demo/s.jpg") for n in range(2)
            )
            display(make_artefact(), base, section)
        for year in range(size):
            make_visit(base, 10, on=datetime.date(2020 + year, 5, 1))
            MeetingFactory(base=base, held_on=datetime.date(2020 + year, 7, 1))
        story = OralHistory.objects.create(title=f"口述{i}", narrator=veteran, status="published")
        Release.objects.create(oral_history=story, scope=Release.Scope.PUBLIC)
        bases.append(base)
    for _i in range(size):
        EducationBaseFactory(kind="sub_base", parent=bases[0], county="heshun")
    return bases[0]


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_public_pages_query_counts_do_not_grow_with_data(client):
    small = build(2)
    small_counts = {
        "home": count(client, reverse("home")),
        "list": count(client, reverse("exhibitions:base-list")),
        "detail": count(client, small.get_absolute_url()),
    }
    build(6)
    large_counts = {
        "home": count(client, reverse("home")),
        "list": count(client, reverse("exhibitions:base-list")),
        "detail": count(client, small.get_absolute_url()),
    }
    assert large_counts == small_counts
    for page, queries in small_counts.items():
        assert queries <= MAX_QUERIES[page], page


@pytest.mark.django_db
def test_pages_stay_within_their_query_budget(client, django_assert_max_num_queries):
    base = build(3)
    with django_assert_max_num_queries(MAX_QUERIES["home"]):
        client.get(reverse("home"))
    with django_assert_max_num_queries(MAX_QUERIES["list"]):
        client.get(reverse("exhibitions:base-list"), {"kind": "independent", "county": "yuci"})
    with django_assert_max_num_queries(MAX_QUERIES["detail"]):
        client.get(base.get_absolute_url())
