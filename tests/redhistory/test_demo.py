"""The demo reproduces FACTS.md's red resources, in every state, and a second run changes nothing."""

import re

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Count

from core.demo import DemoContext, create_demo_accounts
from redhistory import demo
from redhistory.models import (
    AccessionCounter,
    Artefact,
    FieldVisit,
    MicroFilm,
    OralHistory,
    Release,
    Segment,
    Veteran,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """Red history's demo, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = DemoContext()
        create_demo_accounts(ctx)
        demo.load(ctx)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def loaded(loaded_once, db):
    """Each test runs in its own savepoint, so a second run changes only that test's copy."""
    return loaded_once


def test_more_than_a_thousand_veterans_visited_and_230_donors(loaded):
    assert Veteran.objects.filter(field_visits__isnull=False).distinct().count() > 1000
    assert Veteran.objects.filter(artefacts__isnull=False).distinct().count() > 230
    per_donor = Artefact.objects.values("donor").annotate(n=Count("pk")).values_list("n", flat=True)
    assert min(per_donor) >= 2
    assert {war for (war,) in Veteran.objects.values_list("services__war").distinct()} >= {
        "anti_japanese",
        "liberation",
        "korea",
    }
    assert FieldVisit.objects.filter(team="city").exists()
    assert FieldVisit.objects.filter(team="county").exists()


def test_every_state_of_consent_and_publication_is_present(loaded):
    assert set(OralHistory.objects.values_list("status", flat=True)) == set(OralHistory.Status)
    assert set(Release.objects.values_list("scope", flat=True)) == set(Release.Scope)
    assert OralHistory.objects.filter(release__isnull=True).exists()
    assert OralHistory.objects.embargo_ended().exists()
    assert OralHistory.objects.filter(release__embargo_until__gt="2030-01-01").exists() or (
        Release.objects.filter(embargo_until__isnull=False).count() > 5
    )
    assert OralHistory.objects.public().exists()
    # nothing published without a public release whose embargo is over
    published = OralHistory.objects.filter(status="published")
    assert published.count() == OralHistory.objects.public().count()
    assert Segment.objects.filter(restricted=True).exists()
    assert Segment.objects.filter(artefacts__isnull=False).exists()
    assert OralHistory.objects.filter(transcript__contains="[restricted]").exists()
    assert (
        Veteran.objects.public().exists() and Veteran.objects.filter(public_profile=False).exists()
    )


def test_artefacts_have_numbers_custody_images_loans_and_deaccessions(loaded):
    assert not Artefact.objects.filter(custody_events__isnull=True).exists()
    assert Artefact.objects.filter(images__isnull=False).exists()
    assert Artefact.objects.loans_due().exists() and Artefact.objects.loans_overdue().exists()
    assert Artefact.objects.filter(custody_events__kind="deaccession").exists()
    assert Artefact.objects.public().exists()
    for counter in AccessionCounter.objects.all():
        taken = Artefact.objects.filter(accession_number__startswith=f"HS-{counter.year}-").count()
        assert counter.last >= taken


def test_films_are_public_only_with_public_sources(loaded):
    assert MicroFilm.objects.count() == len(demo.FILMS)
    public = MicroFilm.objects.public()
    assert 0 < public.count() < MicroFilm.objects.filter(published=True).count()
    assert all(film.screenings.exists() for film in MicroFilm.objects.all())


def test_a_second_run_changes_nothing(loaded):
    def counts():
        return {
            m.__name__: m.objects.count() for m in apps.get_app_config("redhistory").get_models()
        }

    before = counts()
    demo.load(loaded)
    assert counts() == before


# From history, not from the demo's code: each battle's war and the year it was fought (太原战役
# ended in April 1949), and the years each war lasted.
BATTLES = {
    "百团大战": ("anti_japanese", 1940),
    "关家垴战斗": ("anti_japanese", 1940),
    "黄崖洞保卫战": ("anti_japanese", 1941),
    "上党战役": ("liberation", 1945),
    "晋中战役": ("liberation", 1948),
    "太原战役": ("liberation", 1949),
    "第五次战役": ("korea", 1951),
    "上甘岭战役": ("korea", 1952),
}
WAR_YEARS = {"anti_japanese": (1931, 1945), "liberation": (1945, 1949), "korea": (1950, 1953)}
# Names that say which war an artefact comes from.
NAMED_WARS = {
    "抗美援朝": "korea",
    "志愿军": "korea",
    "抗战": "anti_japanese",
    "八路军": "anti_japanese",
}


def test_each_battle_is_told_by_a_soldier_of_its_war_old_enough_to_fight(loaded):
    told, stated = set(), 0
    stories = OralHistory.objects.select_related("narrator").prefetch_related("narrator__services")
    for story in stories:
        battle = next((name for name in BATTLES if story.title.endswith(name)), None)
        if battle is None:
            continue
        war, year = BATTLES[battle]
        told.add(battle)
        narrator = story.narrator
        age = year - narrator.birth_year
        assert 14 <= age <= 40, (story.title, narrator.birth_year)
        assert any(
            s.war == war and s.from_year <= year <= s.to_year for s in narrator.services.all()
        ), (story.title, [(s.war, s.from_year, s.to_year) for s in narrator.services.all()])
        # the narrator says how old they were (the recorded demo stories do not)
        for said_year, said_age in re.findall(r"(\d{4})年，我(\d+)岁", story.transcript):
            assert (int(said_year), int(said_age)) == (year, age), story.title
            stated += 1
        assert story.period == "revolution"
        assert story.theme == "battle"
    assert {"关家垴战斗", "百团大战", "上甘岭战役"} <= told
    assert stated > 50


def test_service_lies_within_its_war_and_after_the_veteran_turned_fourteen(loaded):
    for war, first, last, birth in Veteran.objects.values_list(
        "services__war", "services__from_year", "services__to_year", "birth_year"
    ):
        start, end = WAR_YEARS[war]
        assert start <= first <= last <= end, (war, first, last)
        assert first - birth >= 14


def test_artefacts_come_from_a_war_their_donor_served_in(loaded):
    served = {}
    for veteran, war, first, last in Veteran.objects.filter(artefacts__isnull=False).values_list(
        "pk", "services__war", "services__from_year", "services__to_year"
    ):
        served.setdefault(veteran, {})[war] = (first, last)
    for artefact in Artefact.objects.all():
        years = served[artefact.donor_id].get(artefact.war)
        assert years, (artefact.name, artefact.war, served[artefact.donor_id])
        assert years[0] <= int(artefact.made_in.removesuffix("年")) <= years[1]
        for word, war in NAMED_WARS.items():
            if word in artefact.name:
                assert artefact.war == war, artefact.name
    assert Segment.objects.filter(artefacts__isnull=False).exists()
    for segment in Segment.objects.filter(artefacts__isnull=False).select_related("oral_history"):
        for artefact in segment.artefacts.all():
            assert artefact.donor_id == segment.oral_history.narrator_id


def test_segment_synopses_say_something_of_their_story(loaded):
    synopses = list(Segment.objects.values_list("synopsis", flat=True))
    assert all(synopses)
    assert len(set(synopses)) > len(synopses) // 4
    assert not any(s.startswith("关于") and s.endswith("的回忆片段。") for s in synopses)
