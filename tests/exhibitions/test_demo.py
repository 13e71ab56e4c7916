from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.counties import County
from core.demo import load_demo
from exhibitions.models import EducationBase
from redhistory.models import Artefact, CustodyEvent

from .conftest import make_artefact

# The bases need only the organisations before them; the artefacts they display come from the
# `artefacts` fixture, or from red history's demo where a test says so.
BASES = ["branches.demo", "exhibitions.demo"]


@pytest.fixture
def artefacts(db):
    """What red history's demo would have collected before ours runs."""
    return [make_artefact(published=i % 4 != 0) for i in range(80)]


@pytest.mark.django_db
def test_demo_builds_the_21_bases_as_facts_divides_them():
    load_demo(steps=BASES)
    bases = list(EducationBase.objects.order_by("slug"))
    assert [b.slug for b in bases] == [f"base-{n:02d}" for n in range(1, 22)]
    kinds = [b.kind for b in bases]
    assert kinds == ["independent"] * 9 + ["joint"] * 4 + ["sub_base"] * 8
    assert Counter(kinds) == {"independent": 9, "joint": 4, "sub_base": 8}
    assert {b.county for b in bases} == set(County.values)
    assert len({b.feature for b in bases}) == 21 and len({b.brand for b in bases}) == 21
    # no cover photo: each base gets its own typographic cover (core/covers.py)
    assert all(not b.cover and b.images.count() == 2 for b in bases)
    assert all(b.transport for b in bases)
    assert all(b.sections.count() >= 3 and b.activities.exists() for b in bases)


@pytest.mark.django_db
def test_demo_keeps_one_or_two_bases_under_construction_out_of_public_view():
    load_demo(steps=BASES)
    shut = EducationBase.objects.exclude(pk__in=EducationBase.objects.public())
    assert 1 <= shut.count() <= 2
    assert all(not base.is_public() for base in shut)


@pytest.mark.django_db
def test_demo_assigns_its_base_administrator_to_one_base():
    ctx = load_demo(steps=BASES)
    assert ctx.users["base_admin"].administered_bases.count() == 1


@pytest.mark.django_db
def test_demo_displays_existing_artefacts_at_open_bases_once_each(artefacts):
    load_demo(steps=BASES)
    displays = list(CustodyEvent.objects.displays())
    assert displays
    assert len({d.artefact_id for d in displays}) == len(displays)
    public = set(EducationBase.objects.public().values_list("pk", flat=True))
    assert {d.base_id for d in displays} <= public
    assert all(d.section.base_id == d.base_id for d in displays)


@pytest.mark.django_db
def test_demo_without_artefacts_displays_nothing(monkeypatch):
    from core import demo

    # redhistory's demo brings artefacts; without it, there is nothing to display
    monkeypatch.setattr(demo, "DEMO_STEPS", [s for s in demo.DEMO_STEPS if s != "redhistory.demo"])
    load_demo(steps=[*BASES, "redhistory.demo"])
    assert not Artefact.objects.exists()
    assert not CustodyEvent.objects.displays().exists()


def page_queries(client, urls):
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return counts


@pytest.mark.django_db
def test_public_pages_run_as_many_queries_at_scale_2_as_at_scale_1(client, artefacts):
    load_demo(scale=1, steps=BASES)
    urls = [
        reverse("home"),
        reverse("exhibitions:base-list"),
        reverse("exhibitions:base-detail", args=["base-01"]),
    ]
    at_scale_1 = page_queries(client, urls)
    displayed_at_1 = CustodyEvent.objects.displays().count()
    load_demo(scale=2, steps=BASES)
    assert CustodyEvent.objects.displays().count() > displayed_at_1
    assert page_queries(client, urls) == at_scale_1
