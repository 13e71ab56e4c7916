"""A restricted passage withholds only that passage: the recording goes public muted there
(renditions.py), made at publish time in the task worker; until then, or without ffmpeg, the
page says why it does not play, and the original recording never reaches the public."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from redhistory import demo, renditions
from redhistory.models import OralHistory
from redhistory.services import oral_history_publish
from tests.factories.redhistory import OralHistoryFactory, SegmentFactory

pytestmark = pytest.mark.django_db

# CI installs ffmpeg (.ci/run): there a missing tool fails these tests rather than skip them.
needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None and not os.environ.get("CI"), reason="ffmpeg is not installed"
)
SPOKEN = Path(demo.__file__).parent / "demo_media" / "guanjianao.ogg"  # speech all through


def story_with_a_withheld_segment(**kwargs):
    story = OralHistoryFactory(
        transcript="问：开场\n答：公开\n[restricted]答：保留[/restricted]\n答：结尾",
        duration=32,
        **kwargs,
    )
    for start, restricted in [(0, False), (7, False), (16, True), (24, False)]:
        SegmentFactory(oral_history=story, start_seconds=start, restricted=restricted)
    story.audio.save("spoken.ogg", ContentFile(SPOKEN.read_bytes()), save=True)
    return OralHistory.objects.get(pk=story.pk)


def loudest(path, start, length):
    out = subprocess.run(
        ["ffmpeg", "-ss", str(start), "-t", str(length), "-i", str(path), "-af", "volumedetect",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    return float(out.split("max_volume:")[1].split("dB")[0])


def media_status(client, url):
    response = client.get(url)
    if response.streaming:
        # Read to the end: the test client's wrapper then closes the response without firing
        # close_old_connections, which a direct close() does (and on PostgreSQL closes the
        # test's connection).
        b"".join(response.streaming_content)
    return response.status_code


def test_the_withheld_time_is_that_of_each_restricted_segment():
    from redhistory.transcripts import withheld_ranges

    assert withheld_ranges([(0, False), (16, True), (24, False)], 32) == [(16, 24)]
    assert withheld_ranges([(0, False), (16, True)], 32) == [(16, 32)]
    assert withheld_ranges([(0, True), (5, False)], None) == [(0, 5)]


def test_a_recording_whose_withheld_passage_is_not_located_stays_withheld_whole(client):
    story = OralHistoryFactory(published=True, transcript="甲[restricted]乙[/restricted]")
    SegmentFactory(oral_history=story, start_seconds=0)
    story.audio.save("spoken.ogg", ContentFile(SPOKEN.read_bytes()), save=True)
    assert renditions.public_recording(story) == (None, "whole")
    assert renditions.render(story) is None
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<audio" not in page and "讲述人要求保留部分内容" in page


@needs_ffmpeg
def test_publishing_mutes_the_withheld_segment_and_the_page_plays_the_rest(
    client, django_user_model, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    story = story_with_a_withheld_segment(status=OralHistory.Status.IN_REVIEW)
    publisher = django_user_model.objects.create_superuser("publisher", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        oral_history_publish(story=story, by=publisher)

    story = OralHistory.objects.prefetch_related("segments").get(pk=story.pk)
    name, reason = renditions.public_recording(story)
    assert reason is None and name != story.audio.name
    rendition = Path(settings.MEDIA_ROOT) / name
    assert loudest(rendition, 16.3, 7.4) < -60  # the withheld passage is silent
    assert loudest(rendition, 7.3, 8) > -20  # the public ones are heard
    assert loudest(rendition, 24.3, 7) > -20

    page = client.get(story.get_absolute_url()).content.decode()
    url = reverse("redhistory:protected_media", args=[name])
    assert f'src="{url}"' in page and "静音" in page
    assert media_status(client, url) == 200
    assert media_status(client, story.audio.url) == 404  # the original never


def test_until_the_rendition_is_made_the_page_says_so_and_plays_nothing(client):
    story = story_with_a_withheld_segment(status=OralHistory.Status.PUBLISHED)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<audio" not in page
    if shutil.which("ffmpeg"):
        assert "正在制作" in page
    assert media_status(client, story.audio.url) == 404


@needs_ffmpeg
def test_a_rendition_is_not_served_once_its_story_is_withdrawn_or_its_segments_change(client):
    story = story_with_a_withheld_segment(status=OralHistory.Status.PUBLISHED)
    name = renditions.render(story)
    url = reverse("redhistory:protected_media", args=[name])
    assert media_status(client, url) == 200
    story.segments.filter(start_seconds=24).update(restricted=True)
    assert media_status(client, url) == 404
    story.segments.filter(start_seconds=24).update(restricted=False)
    OralHistory.objects.filter(pk=story.pk).update(status=OralHistory.Status.DRAFT)
    assert media_status(client, url) == 404
