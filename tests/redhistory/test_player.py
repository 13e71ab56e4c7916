"""The demo's recordings play with captions: the committed files are attached, each segment
starts where its line is spoken, and the captions come from the segments and public transcript."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from redhistory import demo, renditions
from redhistory.models import MicroFilm, OralHistory, Segment
from redhistory.storage import redhistory_storage
from redhistory.templatetags.redhistory_public import minutes
from redhistory.transcripts import webvtt
from tests.factories.redhistory import OralHistoryFactory, SegmentFactory

pytestmark = pytest.mark.django_db

MANIFEST = json.loads((Path(demo.__file__).parent / "demo_media" / "manifest.json").read_text())
CUE = re.compile(r"^(line-\d+)\n(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.*)$", re.M)


def seconds(stamp):
    hours, minutes_, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes_) * 60 + float(rest)


def test_every_committed_recording_is_small_and_named_in_the_manifest():
    folder = Path(demo.__file__).parent / "demo_media"
    named = {e[k] for e in MANIFEST["recordings"].values() for k in ("file", "public") if k in e}
    named |= {entry[k] for entry in MANIFEST["films"].values() for k in ("file", "poster")}
    assert named == {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert sum(p.stat().st_size for p in folder.iterdir()) < 3 * 1024 * 1024
    for entry in MANIFEST["recordings"].values():
        assert 10 <= entry["duration"] <= 40


def test_the_demo_attaches_its_recordings_and_times_segments_by_their_lines(demo_data):
    recorded = OralHistory.objects.exclude(audio="").prefetch_related("segments")
    timings = sorted((e["duration"], e["starts"]) for e in MANIFEST["recordings"].values())
    found = sorted((s.duration, [seg.start_seconds for seg in s.segments.all()]) for s in recorded)
    assert found == timings
    assert all(redhistory_storage().exists(story.audio.name) for story in recorded)
    # the one with a withheld line is not played as recorded ...
    withheld = sum(any(line[4] for line in lines) for _key, _topic, lines in demo.RECORDINGS)
    playing = OralHistory.objects.public().exclude(audio="").exclude(segments__restricted=True)
    assert playing.count() == len(demo.RECORDINGS) - withheld
    # ... and the one with a withheld line plays its committed rendition, muted there
    for story in OralHistory.objects.public().exclude(audio="").filter(segments__restricted=True):
        name, reason = renditions.public_recording(story)
        assert reason is None and name != story.audio.name
        assert redhistory_storage().exists(name)
    filmed = MicroFilm.objects.exclude(video="")
    assert set(filmed.values_list("title", flat=True)) == set(MANIFEST["films"])
    for film in filmed:
        assert film.poster and film.duration == MANIFEST["films"][film.title]["duration"]


def test_a_story_page_offers_captions_that_follow_its_segments(demo, client):
    story = OralHistory.objects.public().exclude(audio="").order_by("pk").first()
    page = client.get(story.get_absolute_url()).content.decode()
    captions = reverse("redhistory:oralhistory-captions", args=[story.pk])
    assert f'src="{captions}" default' in page
    response = client.get(captions)
    assert response["Content-Type"].startswith("text/vtt")
    cues = CUE.findall(response.content.decode())
    starts = [s.start_seconds for s in story.segments.order_by("start_seconds")]
    assert [seconds(start) for _id, start, _end, _text in cues] == starts
    assert seconds(cues[-1][2]) == story.duration
    for (_id, _start, _end, text), line in zip(cues, story.transcript.splitlines(), strict=True):
        assert text == line
        assert f'data-line="{_id.removeprefix("line-")}">{line}</p>' in page


def test_a_restricted_segment_and_passage_show_the_notice_in_the_captions():
    story = OralHistoryFactory(
        transcript="问：开场\n答：公开的话\n[restricted]答：不公开的话[/restricted]\n答：最后",
        duration=40,
    )
    for start, restricted in [(0, False), (10, False), (20, True), (30, False)]:
        SegmentFactory(oral_history=story, start_seconds=start, restricted=restricted)
    text = webvtt(
        story.transcript,
        [(s.start_seconds, s.restricted) for s in Segment.objects.filter(oral_history=story)],
        story.duration,
        "[withheld]",
    )
    cues = CUE.findall(text)
    assert [c[3] for c in cues] == ["问：开场", "答：公开的话", "[withheld]", "答：最后"]
    assert "不公开" not in text


def test_a_restricted_segment_withholds_its_time_even_when_its_line_is_public():
    text = webvtt("甲\n乙", [(0, False), (10, True)], 20, "[withheld]")
    assert [c[3] for c in CUE.findall(text)] == ["甲", "[withheld]"]


def test_cue_text_cannot_break_the_captions_file():
    text = webvtt("a --> b <script>", [], 10, "x")
    assert "<script>" not in text
    assert text.count("-->") == 1


def test_the_captions_of_a_story_not_public_are_not_found(client):
    story = OralHistoryFactory(status="draft", transcript="秘密")
    assert (
        client.get(reverse("redhistory:oralhistory-captions", args=[story.pk])).status_code == 404
    )


@pytest.mark.parametrize(("value", "shown"), [(960, "16分钟"), (25, "25秒"), (3600, "60分钟")])
def test_a_length_reads_as_people_say_it(value, shown):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert minutes(value) == shown
