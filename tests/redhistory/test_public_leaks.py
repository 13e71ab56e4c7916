"""Nothing that is not public reaches a public surface.

For each kind of record and each state that keeps it from the public, the record is built beside a
public world, carrying a marker in every text; then every public page, the feed, the sitemap (and
every URL it lists) and a search for the marker are crawled. The marker, the record's page and the
URLs of its files must appear nowhere, its page is a 404, and its files are refused to a visitor.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from redhistory.models import CustodyEvent, OralHistory, Release, War
from tests.factories.redhistory import (
    ArtefactFactory,
    ArtefactImageFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    OralHistoryPhotoFactory,
    SegmentFactory,
    VeteranFactory,
)

from .public_world import attach_audio, crawl, jpeg_bytes, media_urls, public_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def assert_nowhere(pages, *needles):
    for url, text in pages.items():
        for needle in needles:
            assert needle not in text, f"{needle!r} leaked on {url}"


def file_stem(fieldfile):
    return fieldfile.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def assert_media_refused(client, *fieldfiles):
    for fieldfile in fieldfiles:
        assert client.get(fieldfile.url).status_code == 404, fieldfile.name


def assert_every_shown_media_url_is_served(client, pages):
    """The other side of the rule: a file URL a public page shows is one a visitor may fetch."""
    for url in media_urls(pages):
        assert client.get(url).status_code == 200, url


STORY_STATES = {
    "draft": {"status": OralHistory.Status.DRAFT},
    "in_review": {"status": OralHistory.Status.IN_REVIEW},
    "published_without_release": {"published": True, "release": False},
    "published_internal_release": {"published": True, "release__scope": Release.Scope.INTERNAL},
    "published_restricted_release": {
        "published": True,
        "release__scope": Release.Scope.RESTRICTED,
    },
    "published_under_embargo": {
        "published": True,
        "release__embargo_until": TODAY + datetime.timedelta(days=30),
    },
}


@pytest.mark.parametrize("state", STORY_STATES)
def test_a_non_public_oral_history_leaks_nowhere(client, state):
    world = public_world()
    hidden = OralHistoryFactory(
        narrator=world.veteran,
        title="LEAKSTORY口述",
        summary="LEAKSUMMARY",
        transcript="LEAKTRANSCRIPT 百团大战",
        **STORY_STATES[state],
    )
    attach_audio(hidden, seconds=2)
    photo = OralHistoryPhotoFactory(oral_history=hidden)
    SegmentFactory(oral_history=hidden, title="LEAKSEGMENT", artefacts=[world.artefact])
    # A published film made from it inherits its restriction.
    MicroFilmFactory(title="LEAKFILM", published=True, oral_histories=[hidden])

    pages = crawl(client, searches=["LEAKSTORY", "LEAKTRANSCRIPT", "LEAKSEGMENT", "LEAKFILM"])

    assert_nowhere(
        pages,
        "LEAKSTORY",
        "LEAKSUMMARY",
        "LEAKTRANSCRIPT",
        "LEAKSEGMENT",
        "LEAKFILM",
        hidden.get_absolute_url(),
        file_stem(hidden.audio),
        file_stem(photo.image),
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert_media_refused(client, hidden.audio, photo.image)
    # The public world is still all there.
    assert world.story.title in pages[reverse("redhistory:oralhistory-list")]
    assert_every_shown_media_url_is_served(client, pages)


def test_an_embargo_ends_on_its_day():
    story = OralHistoryFactory(published=True, release__embargo_until=TODAY)
    assert story in OralHistory.objects.public()
    later = OralHistoryFactory(
        published=True, release__embargo_until=TODAY + datetime.timedelta(days=1)
    )
    assert later not in OralHistory.objects.public()


def _deaccession(artefact):
    CustodyEvent.objects.create(
        artefact=artefact,
        kind=CustodyEvent.Kind.DEACCESSION,
        starts_on=datetime.date(2025, 1, 1),
        location="注销",
    )


ARTEFACT_STATES = {
    "unpublished": lambda artefact: None,
    "deaccessioned": _deaccession,
}


@pytest.mark.parametrize("state", ARTEFACT_STATES)
def test_a_non_public_artefact_leaks_nowhere(client, state):
    from redhistory.services import artefact_display

    world = public_world()
    hidden = ArtefactFactory(
        name="LEAKARTEFACT",
        story="LEAKARTEFACTSTORY",
        donor=world.veteran,
        published=state != "unpublished",
        war=War.ANTI_JAPANESE,
    )
    image = ArtefactImageFactory(artefact=hidden)
    if state == "unpublished":
        artefact_display(artefact=hidden, base=world.base, on=datetime.date(2024, 8, 1), by=None)
    ARTEFACT_STATES[state](hidden)
    # Named in the public story's unrestricted segment: still not shown.
    SegmentFactory(oral_history=world.story, title="缸与章", artefacts=[hidden])

    pages = crawl(
        client,
        searches=["LEAKARTEFACT", hidden.accession_number],
        extra=[world.base.get_absolute_url()],
    )

    assert_nowhere(pages, "LEAKARTEFACT", hidden.get_absolute_url(), file_stem(image.image))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert_media_refused(client, image.image)
    assert world.artefact.name in pages[world.story.get_absolute_url()]
    assert_every_shown_media_url_is_served(client, pages)


def test_a_veteran_without_a_public_profile_leaks_nowhere(client):
    world = public_world()
    hidden = VeteranFactory(
        name="LEAKVETERAN",
        biography="LEAKBIOGRAPHY",
        native_place="LEAKPLACE",
        guardian_name="LEAKGUARDIAN",
        guardian_phone="13912345678",
        public_profile=False,
        services=[War.KOREA],
    )
    hidden.portrait.save("p.jpg", ContentFile(_jpeg()), save=True)
    # Donor of a public artefact and in a public film: neither shows the veteran.
    ArtefactFactory(name="公开的军功章", published=True, donor=hidden)
    world.film.veterans.add(hidden)

    pages = crawl(client, searches=["LEAKVETERAN", "LEAKBIOGRAPHY", "13912345678"])

    assert_nowhere(
        pages,
        "LEAKVETERAN",
        "LEAKBIOGRAPHY",
        "LEAKPLACE",
        "LEAKGUARDIAN",
        "13912345678",
        hidden.get_absolute_url(),
        file_stem(hidden.portrait),
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert_media_refused(client, hidden.portrait)
    assert "公开的军功章" in pages[reverse("redhistory:artefact-list")]
    assert_every_shown_media_url_is_served(client, pages)


def test_a_public_profile_never_shows_guardian_or_health(client):
    veteran = VeteranFactory(
        public_profile=True,
        guardian_name="LEAKGUARDIAN",
        guardian_phone="13912345678",
        disabled=True,
        aphasic=True,
        amnesic=True,
        long_illness=True,
    )
    text = client.get(veteran.get_absolute_url()).content.decode()
    assert veteran.name in text
    for needle in ["LEAKGUARDIAN", "13912345678", "失能", "失语", "失忆", "病"]:
        assert needle not in text


def test_a_narrator_without_a_public_profile_is_named_but_not_profiled(client):
    narrator = VeteranFactory(name="李秀英", public_profile=False, biography="LEAKBIOGRAPHY")
    story = OralHistoryFactory(published=True, narrator=narrator, transcript="讲述。")
    text = client.get(story.get_absolute_url()).content.decode()
    assert "李秀英" in text
    assert "LEAKBIOGRAPHY" not in text
    assert narrator.get_absolute_url() not in text


FILM_STATES = {
    "unpublished": lambda world: {"published": False, "oral_histories": [world.story]},
    "source_not_public": lambda world: {
        "published": True,
        "oral_histories": [world.story, OralHistoryFactory(status=OralHistory.Status.DRAFT)],
    },
    "source_under_embargo": lambda world: {
        "published": True,
        "oral_histories": [
            OralHistoryFactory(
                published=True, release__embargo_until=TODAY + datetime.timedelta(days=5)
            )
        ],
    },
}


@pytest.mark.parametrize("state", FILM_STATES)
def test_a_non_public_micro_film_leaks_nowhere(client, state):
    world = public_world()
    hidden = MicroFilmFactory(
        title="LEAKFILM", veterans=[world.veteran], **FILM_STATES[state](world)
    )
    hidden.poster.save("poster.jpg", ContentFile(_jpeg()), save=True)
    hidden.video.save("film.webm", ContentFile(b"\x1a\x45\xdf\xa3" + b"webm" * 20), save=True)
    url = reverse("redhistory:film-detail", args=[hidden.pk])

    pages = crawl(client, searches=["LEAKFILM"])

    assert_nowhere(
        pages, "LEAKFILM", f'href="{url}"', file_stem(hidden.poster), file_stem(hidden.video)
    )
    assert client.get(url).status_code == 404
    assert_media_refused(client, hidden.poster, hidden.video)
    assert world.film.title in pages[reverse("redhistory:film-list")]


def test_restricted_passages_and_segments_of_a_public_story_leak_nowhere(client):
    world = public_world()
    story = OralHistoryFactory(
        published=True,
        narrator=world.veteran,
        title="公开的口述",
        transcript=(
            "开头公开。[restricted]LEAKPASSAGE 部队番号[/restricted]中间公开。\n"
            "[restricted]LEAKUNCLOSED 没有结束标记的段落"
        ),
    )
    attach_audio(story, seconds=2)
    SegmentFactory(oral_history=story, title="公开段落", start_seconds=0)
    SegmentFactory(
        oral_history=story,
        title="LEAKSEGMENT",
        synopsis="LEAKSYNOPSIS",
        keywords="LEAKKEYWORD",
        restricted=True,
        start_seconds=60,
        artefacts=[world.artefact],
    )

    pages = crawl(
        client,
        searches=["LEAKPASSAGE", "LEAKUNCLOSED", "LEAKSEGMENT", "LEAKKEYWORD", "部队番号"],
        extra=[story.get_absolute_url()],
    )

    assert_nowhere(
        pages,
        "LEAKPASSAGE",
        "LEAKUNCLOSED",
        "部队番号",
        "LEAKSEGMENT",
        "LEAKSYNOPSIS",
        "LEAKKEYWORD",
        file_stem(story.audio),
    )
    text = pages[story.get_absolute_url()]
    assert "开头公开。" in text and "中间公开。" in text
    assert "公开段落" in text
    assert text.count("restricted-notice") == 2
    # A recording cannot be cut: with withheld passages only the transcript is public.
    assert_media_refused(client, story.audio)
    assert_every_shown_media_url_is_served(client, pages)


def test_every_file_a_public_page_shows_is_served_to_a_visitor(client):
    world = public_world()
    pages = crawl(client, extra=[world.story.get_absolute_url()])
    shown = media_urls(pages)
    assert world.story.audio.url in shown
    for folder in ["artefacts", "oral/photos", "portraits", "films/posters"]:
        assert any(re.search(rf"thumbnails/\w+/redhistory/{folder}/", url) for url in shown), folder
    assert_every_shown_media_url_is_served(client, pages)


def _jpeg():
    return jpeg_bytes()
