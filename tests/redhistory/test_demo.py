"""The demo reproduces FACTS.md's red resources, in every state, and a second run changes nothing."""

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
