"""Recordings answer byte ranges, so a browser can seek to a segment when Django serves them."""

import pytest

from tests.factories.redhistory import OralHistoryFactory

from .public_world import attach_audio, wav_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = OralHistoryFactory(published=True, transcript="公开。")
    return attach_audio(story, seconds=2)


def test_a_whole_file_says_it_accepts_ranges(client, story):
    response = client.get(story.audio.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == wav_bytes(2)


def test_a_byte_range_is_answered_with_206_and_those_bytes(client, story):
    whole = wav_bytes(2)
    response = client.get(story.audio.url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response.content == whole[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert response["Content-Type"] == "audio/x-wav"
    assert "public" in response["Cache-Control"]


def test_open_and_suffix_ranges(client, story):
    whole = wav_bytes(2)
    assert client.get(story.audio.url, HTTP_RANGE="bytes=16000-").content == whole[16000:]
    assert client.get(story.audio.url, HTTP_RANGE="bytes=-10").content == whole[-10:]


def test_a_range_past_the_end_is_416(client, story):
    response = client.get(story.audio.url, HTTP_RANGE="bytes=999999-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(wav_bytes(2))}"


def test_a_range_never_opens_a_file_that_is_not_public(client):
    hidden = attach_audio(OralHistoryFactory(transcript="草稿。"), seconds=2)
    assert client.get(hidden.audio.url, HTTP_RANGE="bytes=0-99").status_code == 404
