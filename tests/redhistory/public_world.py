"""A small public red-memory world and a crawler of every public surface, for the leak tests,
the query-count tests and the browser walk.

`public_world()` builds one public veteran, artefact (with an image, on display at an open base),
oral history (with a playable WAV recording and a segment naming the artefact) and micro-film.
`crawl(client)` fetches every public page, the feed, the sitemap and every URL the sitemap lists,
and returns {url: text}.
"""

import datetime
import io
import re
import wave
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.urls import reverse

from redhistory.models import Artefact, OralHistory, War
from redhistory.services import artefact_display
from tests.factories.exhibitions import EducationBaseFactory
from tests.factories.redhistory import (
    ArtefactFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    OralHistoryPhotoFactory,
    SegmentFactory,
    VeteranFactory,
)

PUBLIC_TRANSCRIPT = "那年我十六岁，参加了八路军。后来我们在太行山里打游击。"
LIST_URLS = [
    "redhistory:index",
    "redhistory:oralhistory-list",
    "redhistory:artefact-list",
    "redhistory:veteran-list",
    "redhistory:film-list",
]


def wav_bytes(seconds=40, rate=8000):
    """A silent mono WAV Chromium can play and seek (no proprietary codec needed)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * rate * seconds)
    return buffer.getvalue()


def jpeg_bytes(size=(40, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "darkred").save(buffer, "JPEG")
    return buffer.getvalue()


def attach_audio(story, seconds=40):
    story.audio.save("recording.wav", ContentFile(wav_bytes(seconds)), save=True)
    return story


@dataclass
class World:
    veteran: object
    artefact: object
    story: object
    film: object
    base: object


def public_world(*, base_slug="rm-base"):
    veteran = VeteranFactory(
        name="张振华",
        public_profile=True,
        services=[War.ANTI_JAPANESE, War.KOREA],
        biography="1943年参加八路军，在太行山区作战。",
        county="zuoquan",
    )
    artefact = ArtefactFactory(
        name="八路军搪瓷缸",
        category=Artefact.Category.OTHER,
        published=True,
        donor=veteran,
        images=1,
        war=War.ANTI_JAPANESE,
    )
    base = EducationBaseFactory(slug=base_slug, name="左权县太行老战士纪念馆", county="zuoquan")
    artefact_display(artefact=artefact, base=base, on=datetime.date(2024, 7, 1), by=None)
    story = OralHistoryFactory(
        published=True,
        narrator=veteran,
        title="太行山上的游击岁月",
        summary="讲述百团大战前后在太行山打游击的经历。",
        transcript=PUBLIC_TRANSCRIPT,
        theme=OralHistory.Theme.BATTLE,
        period=OralHistory.Period.REVOLUTION,
        duration=40,
    )
    attach_audio(story)
    SegmentFactory(oral_history=story, start_seconds=0, title="参军", keywords="参军")
    SegmentFactory(
        oral_history=story,
        start_seconds=25,
        title="搪瓷缸的来历",
        keywords="搪瓷缸",
        synopsis="讲述这只搪瓷缸如何随他走过战火。",
        artefacts=[artefact],
    )
    film = MicroFilmFactory(
        title="太行记忆", published=True, oral_histories=[story], veterans=[veteran]
    )
    # A picture of every kind a public page shows, so the file URLs on them are all exercised.
    OralHistoryPhotoFactory(oral_history=story, caption="采访现场")
    veteran.portrait.save("portrait.jpg", ContentFile(jpeg_bytes()), save=True)
    film.poster.save("poster.jpg", ContentFile(jpeg_bytes()), save=True)
    return World(veteran=veteran, artefact=artefact, story=story, film=film, base=base)


def crawl(client, *, searches=(), extra=()):
    """{url: text} of every public surface: the column's lists (plain and with each filter),
    the feed, the sitemap and every URL it lists, the home page, the given searches and URLs."""
    urls = [reverse(name) for name in LIST_URLS]
    urls += [
        reverse("home"),
        reverse("redhistory:oralhistory-feed"),
        "/sitemap.xml",
        reverse("redhistory:oralhistory-list") + "?theme=battle&period=revolution",
        reverse("redhistory:oralhistory-list") + "?war=anti_japanese&county=zuoquan",
        reverse("redhistory:artefact-list") + "?category=other&war=anti_japanese",
        reverse("redhistory:veteran-list") + "?war=korea",
    ]
    urls += [reverse("redhistory:search") + f"?q={term}" for term in searches]
    urls += list(extra)
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
        if url.startswith(reverse("redhistory:search")):
            # Only the hits: the page repeats the words searched for in its title and form.
            pages[url] = pages[url].split('id="search-results"', 1)[1]
    for location in re.findall(r"<loc>https?://[^/]+([^<]+)</loc>", pages["/sitemap.xml"]):
        if location not in pages:
            response = client.get(location)
            assert response.status_code == 200, location
            pages[location] = response.content.decode()
    return pages


def media_urls(pages):
    """Every redhistory file URL the crawled pages show."""
    prefix = reverse("redhistory:protected_media", args=["x"])[:-1]
    pattern = re.compile(rf'(?:src|poster|href)="({re.escape(prefix)}[^"]+)"')
    found = set()
    for text in pages.values():
        found.update(pattern.findall(text))
    return found
