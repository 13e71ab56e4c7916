"""Makes the demo's recordings once: `manage.py make_demo_media` (needs espeak-ng and ffmpeg).

The oral histories of `redhistory.demo.RECORDINGS` are spoken line by line by espeak-ng's Mandarin
voice, each line padded to whole seconds so a segment can start where its line starts; the films
of `FILM_RECORDINGS` are stills with a spoken narration. The files and `manifest.json` (each
line's start, each recording's length) go to `redhistory/demo_media/`, which is committed, so
`make demo` needs neither tool: `load_demo` only copies them.
"""

import json
import math
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw, ImageFont

from redhistory import demo, renditions, transcripts

FOLDER = Path(demo.__file__).resolve().parent / "demo_media"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
RATE = 16000


def _run(*command):
    subprocess.run(command, check=True, capture_output=True)


def _seconds(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout)


def _speak(lines, work):
    """One WAV of the lines, each padded to whole seconds; returns it and each line's start."""
    starts, parts, at = [], [], 0
    for index, text in enumerate(lines):
        raw, padded = work / f"raw{index}.wav", work / f"line{index}.wav"
        _run("espeak-ng", "-v", "cmn", "-s", "165", "-w", str(raw), text)
        length = math.ceil(_seconds(raw) + 0.4)
        _run(
            "ffmpeg", "-y", "-i", str(raw), "-ar", str(RATE), "-ac", "1",
            "-af", f"apad=whole_dur={length}", str(padded),
        )  # fmt: skip
        starts.append(at)
        parts.append(padded)
        at += length
    listing = work / "lines.txt"
    listing.write_text("".join(f"file '{part}'\n" for part in parts))
    spoken = work / "spoken.wav"
    _run("ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), str(spoken))
    return spoken, starts, at


def _still(path, title, text, index):
    image = Image.new("RGB", (640, 360), (122, 22, 22))
    draw = ImageDraw.Draw(image)
    draw.rectangle([16, 16, 623, 343], outline=(214, 170, 80), width=3)
    for band in range(index + 1):
        draw.line([(40, 300 - band * 10), (600, 300 - band * 10)], fill=(170, 60, 40), width=2)
    try:
        big, small = ImageFont.truetype(FONT, 44), ImageFont.truetype(FONT, 24)
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((320, 120), f"《{title}》", font=big, fill=(240, 210, 130), anchor="mm")
    draw.text((320, 220), text, font=small, fill=(250, 244, 230), anchor="mm")
    image.save(path, "JPEG", quality=82)


class Command(BaseCommand):
    help = "Speaks and films the demo's recordings into redhistory/demo_media/ (espeak-ng, ffmpeg)."

    def handle(self, *args, **options):
        for tool in ("espeak-ng", "ffmpeg", "ffprobe"):
            if shutil.which(tool) is None:
                raise CommandError(f"{tool} is needed: apt-get install -y espeak-ng ffmpeg")
        FOLDER.mkdir(exist_ok=True)
        manifest = {"recordings": {}, "films": {}}
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for key, _topic, lines in demo.RECORDINGS:
                spoken, starts, length = _speak([line[1] for line in lines], work)
                name = f"{key}.ogg"
                _run(
                    "ffmpeg", "-y", "-i", str(spoken), "-c:a", "libopus", "-b:a", "20k",
                    "-map_metadata", "-1", "-fflags", "+bitexact", str(FOLDER / name),
                )  # fmt: skip
                manifest["recordings"][key] = {"file": name, "starts": starts, "duration": length}
                ranges = transcripts.withheld_ranges(
                    [(start, line[4]) for start, line in zip(starts, lines, strict=True)], length
                )
                if ranges:
                    # the public rendition, muted where the narrator withheld (renditions.py)
                    public = f"{key}-public.ogg"
                    _run(
                        "ffmpeg", "-y", "-i", str(FOLDER / name),
                        "-af", renditions.muting_filter(ranges), "-c:a", "libopus", "-b:a", "20k",
                        "-map_metadata", "-1", str(FOLDER / public),
                    )  # fmt: skip
                    manifest["recordings"][key]["public"] = public
            for index, (title, lines) in enumerate(demo.FILM_RECORDINGS):
                spoken, starts, length = _speak(lines, work)
                key = f"film{index + 1}"
                listing = []
                for number, (text, start) in enumerate(zip(lines, starts, strict=True)):
                    still = work / f"{key}-{number}.jpg"
                    _still(still, title, text, number)
                    end = starts[number + 1] if number + 1 < len(starts) else length
                    listing.append(f"file '{still}'\nduration {end - start}\n")
                listing.append(f"file '{work / f'{key}-{len(lines) - 1}.jpg'}'\n")
                (work / "stills.txt").write_text("".join(listing))
                shutil.copy(work / f"{key}-0.jpg", FOLDER / f"{key}-poster.jpg")
                _run(
                    "ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", str(work / "stills.txt"),
                    "-i", str(spoken), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "50",
                    "-r", "5", "-pix_fmt", "yuv420p", "-c:a", "libopus", "-b:a", "20k",
                    "-shortest", "-map_metadata", "-1", str(FOLDER / f"{key}.webm"),
                )  # fmt: skip
                manifest["films"][title] = {
                    "file": f"{key}.webm",
                    "poster": f"{key}-poster.jpg",
                    "starts": starts,
                    "duration": length,
                }
        (FOLDER / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        )
        self.stdout.write(f"Wrote {FOLDER}")
