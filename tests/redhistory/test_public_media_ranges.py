"""Recordings answer byte ranges, so a browser can seek to a segment when Django serves them,
streamed in chunks so a large range never sits in a worker's memory."""

import pytest

from redhistory import ranges
from tests.factories.redhistory import OralHistoryFactory

from .public_world import attach_audio, wav_bytes

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content)


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
    assert body(response) == whole[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert response["Content-Type"] == "audio/x-wav"
    assert "public" in response["Cache-Control"]


def test_open_and_suffix_ranges(client, story):
    whole = wav_bytes(2)
    assert body(client.get(story.audio.url, HTTP_RANGE="bytes=16000-")) == whole[16000:]
    assert body(client.get(story.audio.url, HTTP_RANGE="bytes=-10")) == whole[-10:]


def test_a_range_past_the_end_is_416(client, story):
    response = client.get(story.audio.url, HTTP_RANGE="bytes=999999-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(wav_bytes(2))}"


def test_a_range_never_opens_a_file_that_is_not_public(client):
    hidden = attach_audio(OralHistoryFactory(transcript="草稿。"), seconds=2)
    assert client.get(hidden.audio.url, HTTP_RANGE="bytes=0-99").status_code == 404


class CountingFile:
    """A stored file that remembers how many bytes each read asked for."""

    def __init__(self, handle, reads):
        self.handle, self.reads = handle, reads

    def read(self, size=-1):
        self.reads.append(size)
        return self.handle.read(size)

    def __getattr__(self, name):
        return getattr(self.handle, name)


def test_an_open_range_of_a_large_file_is_streamed_in_chunks(client, monkeypatch):
    story = attach_audio(OralHistoryFactory(published=True, transcript="公开。"), seconds=200)
    whole = wav_bytes(200)
    assert len(whole) > 20 * ranges.CHUNK_SIZE
    storage = type(story.audio.storage)
    reads = []
    real_open = storage.open
    monkeypatch.setattr(
        storage, "open", lambda self, *a, **kw: CountingFile(real_open(self, *a, **kw), reads)
    )
    response = client.get(story.audio.url, HTTP_RANGE="bytes=0-")
    assert response.status_code == 206
    assert response["Content-Length"] == str(len(whole))
    assert reads == []  # nothing is read before the response is sent
    assert body(response) == whole
    assert reads and max(reads) <= ranges.CHUNK_SIZE and -1 not in reads
