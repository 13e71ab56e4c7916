"""Every red history changelist runs the same number of queries for 3 records as for 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from redhistory.models import CustodyEvent
from tests.factories.redhistory import (
    ArtefactFactory,
    ArtefactImageFactory,
    FieldVisitFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    ScreeningFactory,
    SegmentFactory,
    VeteranFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = ["veteran", "artefact", "oralhistory", "fieldvisit", "microfilm", "rescuecandidate"]
MAX_QUERIES = 16


def make_records(count):
    for n in range(count):
        veteran = VeteranFactory(services=["anti_japanese", "korea"], aphasic=n % 2 == 0)
        artefact = ArtefactFactory(
            donor=veteran,
            acquisition="loan",
            loan_due_on=datetime.date.today() + datetime.timedelta(days=n),
        )
        ArtefactImageFactory(artefact=artefact)
        CustodyEvent.objects.create(
            artefact=artefact, kind="storage", starts_on=datetime.date(2024, 8, 1), location="库房"
        )
        story = OralHistoryFactory(narrator=veteran)
        SegmentFactory(oral_history=story, artefacts=[artefact])
        FieldVisitFactory(veteran=veteran)
        ScreeningFactory(film=MicroFilmFactory(veterans=[veteran], oral_histories=[story]))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_the_table(
    staff_client, model, django_assert_max_num_queries
):
    url = reverse(f"admin:redhistory_{model}_changelist")
    make_records(3)
    small = count_queries(staff_client, url)
    make_records(27)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(staff_client, url)
    assert large == small
