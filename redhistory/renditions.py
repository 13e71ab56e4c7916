"""A recording with withheld passages is published muted there, not withheld whole.

The public rendition is the recording with each restricted segment's time silenced
(`transcripts.withheld_ranges`), made by ffmpeg in the task worker when the story is published
(`render_public_recording`). Its name is derived from the source's name and the muted ranges, so
a change to either asks for a new one, and an old rendition is never served for new segments.
Without ffmpeg, or until the worker has run, the page says the recording is withheld and why.
"""

import hashlib
import posixpath
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django_tasks import task

from . import transcripts
from .storage import redhistory_storage

FOLDER = "redhistory/oral/public"


def _segments(story):
    return [(s.start_seconds, s.restricted) for s in story.segments.all()]


def source_name(story):
    """The stored name of the story's recording (its video, else its audio), or ""."""
    return (story.video or story.audio).name or ""


def public_recording(story):
    """(stored name a visitor may play, or None; the reason when None: "none", "whole",
    "pending")."""
    source = source_name(story)
    if not source:
        return None, "none"
    segments = _segments(story)
    if transcripts.recording_withheld_whole(story.transcript, segments):
        return None, "whole"
    ranges = transcripts.withheld_ranges(segments, story.duration)
    if not ranges:
        return source, None
    name = rendition_name(source, ranges)
    if redhistory_storage().exists(name):
        return name, None
    # without ffmpeg no rendition will come: say so as for a recording withheld whole
    return None, "pending" if shutil.which("ffmpeg") else "whole"


def rendition_name(source, ranges):
    digest = hashlib.sha256(f"{source}|{ranges!r}".encode()).hexdigest()[:32]
    return f"{FOLDER}/{digest}{posixpath.splitext(source)[1]}"


def muting_filter(ranges):
    """ffmpeg's audio filter silencing the ranges (an open end runs to the recording's end)."""
    spans = "+".join(
        f"between(t,{start},{end})" if end is not None else f"gte(t,{start})"
        for start, end in ranges
    )
    return f"volume=enable='{spans}':volume=0"


def render(story):
    """Writes the story's public rendition if it needs one and ffmpeg is here; its name or None."""
    source = source_name(story)
    segments = _segments(story)
    ranges = transcripts.withheld_ranges(segments, story.duration)
    if not source or not ranges or transcripts.recording_withheld_whole(story.transcript, segments):
        return None
    ffmpeg = shutil.which("ffmpeg")
    storage = redhistory_storage()
    name = rendition_name(source, ranges)
    if storage.exists(name) or ffmpeg is None:
        return name if storage.exists(name) else None
    suffix = posixpath.splitext(source)[1]
    with tempfile.TemporaryDirectory() as tmp:
        original, muted = Path(tmp) / f"in{suffix}", Path(tmp) / f"out{suffix}"
        with storage.open(source, "rb") as stream:
            original.write_bytes(stream.read())
        video = ["-c:v", "copy"] if story.video else ["-vn"]
        subprocess.run(
            [ffmpeg, "-y", "-v", "error", "-i", str(original), "-af", muting_filter(ranges),
             *video, "-map_metadata", "-1", str(muted)],
            check=True,
            capture_output=True,
            timeout=600,
        )  # fmt: skip
        with muted.open("rb") as stream:
            storage.save(name, File(stream))
    return name


@task()
def render_public_recording(story_id):
    from .models import OralHistory

    story = OralHistory.objects.filter(pk=story_id).prefetch_related("segments").first()
    return render(story) if story else None
