"""The demo's recordings play on a phone: a story's audio starts, its captions are shown, the
segment and transcript line being heard are marked, #t= moves it; a film shows its poster and
running time."""

import pytest

from redhistory.models import MicroFilm, OralHistory
from tests.browser.test_redhistory import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

PLAYER = "document.querySelector('[data-player]')"


def test_a_demo_story_plays_with_captions_its_segment_follows_and_a_film_shows_its_poster(
    live_server, phone_page, demo_data, screenshot
):
    page = phone_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    story = (
        OralHistory.objects.public()
        .exclude(audio="")
        .exclude(segments__restricted=True)
        .order_by("pk")
        .first()
    )
    starts = list(story.segments.order_by("start_seconds").values_list("start_seconds", flat=True))
    page.goto(live_server.url + story.get_absolute_url())
    wait_until(page, f"{PLAYER}.readyState >= 1")
    assert page.evaluate(f"{PLAYER}.textTracks[0].mode") == "hidden"  # drawn under the audio

    page.locator(f"[data-seek='{starts[1]}']").click()
    wait_until(page, f"{PLAYER}.currentTime > {starts[1] + 1}")
    caption = page.locator("[data-caption]")
    assert caption.is_visible()
    wait_until(page, "document.querySelector('[data-caption]').textContent.length > 0")
    line = page.locator(".transcript [data-line].active")
    assert line.inner_text() == caption.inner_text()
    assert page.locator(f"[data-seek='{starts[1]}']").get_attribute("aria-current") == "true"
    screenshot(page, "public-redhistory-story-playing-phone")

    # The segment follows playback, and a new #t= moves the player.
    page.evaluate(f"location.hash = '#t={starts[2]}'")
    wait_until(page, f"{PLAYER}.currentTime >= {starts[2]}")
    wait_until(
        page,
        f"document.querySelector(\"[data-seek='{starts[2]}']\").getAttribute('aria-current') === 'true'",
    )
    assert page.locator(f"[data-seek='{starts[1]}']").get_attribute("aria-current") is None

    page.get_by_role("button", name="字幕").click()
    assert not caption.is_visible()

    # One test for both: the demo is restored once per transactional test session only
    # (a flush drops the groups that migrations made), so the film is visited here too.
    film = MicroFilm.objects.public().exclude(video="").order_by("pk").first()
    page.goto(live_server.url + film.get_absolute_url())
    video = page.locator("video[data-player]")
    assert video.get_attribute("poster")
    assert page.get_by_text(f"时长 {film.duration}秒").is_visible()
    wait_until(page, f"{PLAYER}.readyState >= 1")
    assert page.evaluate(f"{PLAYER}.duration") == pytest.approx(film.duration, abs=1.5)
    screenshot(page, "public-redhistory-film-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "public-redhistory-film-desktop")
    page.goto(live_server.url + story.get_absolute_url())
    wait_until(page, f"{PLAYER}.readyState >= 1")
    screenshot(page, "public-redhistory-story-desktop")
    assert errors == []
