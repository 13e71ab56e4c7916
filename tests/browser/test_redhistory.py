"""A visitor on a phone walks the red-memory column: the list of oral histories → a war filter →
a story → a segment (the player jumps to it) → an artefact named in it → its donor's profile."""

import re
import time

import pytest

from tests.redhistory.public_world import public_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return public_world()


def wait_until(page, expression, timeout=15):
    """Polls an expression from Python: page.wait_for_function evaluates a string in the page,
    which the Content-Security-Policy (no 'unsafe-eval') rightly refuses."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    state = page.evaluate(
        "(() => { const p = document.querySelector('[data-player]');"
        " return p && [p.currentTime, p.readyState, p.networkState, p.error && p.error.code,"
        " p.seekable.length && p.seekable.end(0), location.hash]; })()"
    )
    raise AssertionError(f"still false after {timeout}s: {expression} (player: {state})")


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_visitor_on_a_phone_walks_the_red_memory_column(
    live_server, phone_page, world, screenshot
):
    page = phone_page
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/")
    page.locator(".navbar-toggler").click()
    page.locator("#portal-nav").get_by_role("link", name="红色记忆").click()
    page.wait_for_url("**/red-memory/")
    screenshot(page, "public-redhistory-index-phone")

    page.goto(live_server.url + "/red-memory/oral-histories/")
    assert page.get_by_role("heading", name="口述历史", exact=True).is_visible()
    page.locator("[data-filter=war]").get_by_role("link", name=re.compile("抗美援朝战争")).click()
    page.wait_for_url("**war=korea**")
    assert page.get_by_text("找到1篇口述历史。").is_visible()
    assert no_sideways_scrolling(page)
    screenshot(page, "public-redhistory-list-phone")

    page.get_by_role("link", name=world.story.title).click()
    page.wait_for_url(f"**{world.story.get_absolute_url()}")
    wait_until(page, "document.querySelector('[data-player]').readyState >= 1")
    assert page.evaluate("document.querySelector('[data-player]').currentTime") < 1
    page.get_by_role("link", name=re.compile("搪瓷缸的来历")).click()
    wait_until(page, "document.querySelector('[data-player]').currentTime >= 25")
    assert page.url.endswith("#t=25")
    assert page.locator(".transcript").get_by_text("那年我十六岁").is_visible()
    assert no_sideways_scrolling(page)
    screenshot(page, "public-redhistory-story-phone")

    artefact_link = page.locator(".artefact-card").get_by_role("link", name=world.artefact.name)
    artefact_link.scroll_into_view_if_needed()
    artefact_link.click()
    page.wait_for_url(f"**{world.artefact.get_absolute_url()}")
    assert page.get_by_role("heading", name=world.artefact.name).is_visible()
    assert page.get_by_role("link", name=world.base.name).is_visible()
    assert no_sideways_scrolling(page)
    screenshot(page, "public-redhistory-artefact-phone")

    # From the artefact back into the story at the moment it is told of.
    page.get_by_role("link", name=re.compile("搪瓷缸的来历")).click()
    page.wait_for_url("**#t=25")
    wait_until(page, "document.querySelector('[data-player]').currentTime >= 25")
    page.go_back()

    page.get_by_role("link", name=world.veteran.name).click()
    page.wait_for_url(f"**{world.veteran.get_absolute_url()}")
    assert page.get_by_role("heading", name="从军经历").is_visible()
    assert page.get_by_role("link", name=world.story.title).is_visible()
    assert no_sideways_scrolling(page)
    screenshot(page, "public-redhistory-veteran-phone")

    page.goto(live_server.url + "/red-memory/search/?q=搪瓷")
    assert (
        page.locator("[data-kind=artefacts]")
        .get_by_role("link", name=world.artefact.name)
        .is_visible()
    )
    screenshot(page, "public-redhistory-search-phone")
    assert errors == []
