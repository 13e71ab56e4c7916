"""The column's pages run a fixed number of queries, whatever the number of stories, segments,
artefacts, images, veterans and films: measured at two data sizes, the counts are equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from redhistory.models import War
from tests.factories.redhistory import (
    ArtefactFactory,
    ArtefactImageFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    OralHistoryPhotoFactory,
    ScreeningFactory,
    SegmentFactory,
    VeteranFactory,
)

from .public_world import public_world

pytestmark = pytest.mark.django_db

MAX_QUERIES = {
    "index": 7,
    "stories": 3,
    "stories_filtered": 3,
    "story": 5,
    "artefacts": 3,
    "artefacts_filtered": 3,
    "artefact": 4,
    "veterans": 4,
    "veterans_filtered": 4,
    "veteran": 5,
    "films": 2,
    "film": 4,
    "search": 8,
    "feed": 1,
}


def grow(world, size):
    """Adds `size` of everything around the world's veteran, artefact, story and film."""
    for i in range(size):
        # Every filtered page below has hits at every size, so each runs its page query.
        veteran = VeteranFactory(
            name=f"王{i}号",
            county="yuci",
            public_profile=True,
            services=[War.KOREA, War.LIBERATION],
        )
        artefact = ArtefactFactory(published=True, donor=world.veteran, images=2, war=War.KOREA)
        ArtefactFactory(published=True, donor=veteran)
        story = OralHistoryFactory(published=True, narrator=veteran, transcript=f"第{i}个故事。")
        OralHistoryFactory(published=True, narrator=world.veteran, transcript="又一个故事。")
        SegmentFactory(oral_history=world.story, start_seconds=100 + i, artefacts=[artefact])
        SegmentFactory(oral_history=story, artefacts=[world.artefact, artefact])
        ArtefactImageFactory(artefact=world.artefact)
        OralHistoryPhotoFactory(oral_history=world.story)
        film = MicroFilmFactory(published=True, oral_histories=[story], veterans=[veteran])
        world.film.veterans.add(veteran)
        world.film.oral_histories.add(story)
        ScreeningFactory(film=world.film)
        ScreeningFactory(film=film)


def urls(world):
    return {
        "index": reverse("redhistory:index"),
        "stories": reverse("redhistory:oralhistory-list"),
        "stories_filtered": reverse("redhistory:oralhistory-list")
        + "?war=korea&theme=battle&period=revolution&county=yuci&q=故事",
        "story": world.story.get_absolute_url(),
        "artefacts": reverse("redhistory:artefact-list"),
        "artefacts_filtered": reverse("redhistory:artefact-list")
        + "?category=medal&war=korea&q=章",
        "artefact": world.artefact.get_absolute_url(),
        "veterans": reverse("redhistory:veteran-list"),
        "veterans_filtered": reverse("redhistory:veteran-list") + "?war=korea&county=yuci&q=王",
        "veteran": world.veteran.get_absolute_url(),
        "films": reverse("redhistory:film-list"),
        "film": reverse("redhistory:film-detail", args=[world.film.pk]),
        "search": reverse("redhistory:search") + "?q=太行 故事",
        "feed": reverse("redhistory:oralhistory-feed"),
    }


def count_all(client, world):
    counts = {}
    for page, url in urls(world).items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[page] = len(captured)
    return counts


def test_public_pages_query_counts_do_not_grow_with_data(client):
    world = public_world()
    grow(world, 2)
    small = count_all(client, world)
    grow(world, 15)
    large = count_all(client, world)
    assert large == small
    for page, queries in small.items():
        assert queries <= MAX_QUERIES[page], (page, queries)


def test_pages_stay_within_their_query_budget(client, django_assert_max_num_queries):
    world = public_world()
    grow(world, 3)
    for page, url in urls(world).items():
        with django_assert_max_num_queries(MAX_QUERIES[page]):
            assert client.get(url).status_code == 200


def test_a_large_list_is_paginated(client):
    world = public_world()
    grow(world, 15)
    response = client.get(reverse("redhistory:oralhistory-list"))
    page = response.context["page"]
    assert page.paginator.count == 1 + 30
    assert len(page.object_list) == 12
    second = client.get(reverse("redhistory:oralhistory-list"), {"page": 3})
    assert len(second.context["page"].object_list) == 31 - 24
