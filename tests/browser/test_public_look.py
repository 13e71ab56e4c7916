"""The public face in Chromium: axe-core finds no serious or critical WCAG 2.1 AA violation on
any kind of public page at phone and desktop widths, with 长辈模式 off and on; 长辈模式 grows
the text in two steps, raises the contrast, is remembered, and reads aloud in zh-CN; keyboard
focus shows on the red header. axe.min.js is vendored beside this file (npm axe-core 4.14.1,
MPL-2.0, axe-LICENSE) and injected only here, never served by the portal."""

from pathlib import Path

import pytest

from tests.browser.test_security import one_page_of_each_kind

AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
}"""


def public_pages():
    from tests.ops import crawler

    pages, _media, errors = crawler.crawl(limit=300)
    assert errors == []
    return [p for p in one_page_of_each_kind(pages) if not p.startswith(("/admin", "/sitemap"))]


def test_no_public_page_has_a_serious_accessibility_violation(
    browser, live_server, transactional_db, demo_data, screenshot
):
    # one crawl of the demo, then every kind of page at both widths, 长辈模式 off and on
    paths = sorted(set(public_pages()) | {"/", "/bases/", "/red-memory/"})
    assert len(paths) >= 10
    found = {}
    for width, viewport in WIDTHS.items():
        for elder in (False, True):
            # axe is injected as an inline script, which the portal's CSP rightly refuses
            context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
            if elder:
                context.add_cookies(
                    [{"name": "portal_elder", "value": "1", "url": live_server.url}]
                )
            page = context.new_page()
            for path in paths:
                response = page.goto(live_server.url + path)
                if response.headers.get("content-type", "").split(";")[0] != "text/html":
                    continue
                if path == "/":
                    # the map drew the county outlines and the bases
                    page.wait_for_selector("#base-map svg path")
                    screenshot(page, f"public-look-home-{width}{'-elder' if elder else ''}")
                page.add_script_tag(content=AXE)
                violations = page.evaluate(RUN_AXE)
                if violations:
                    found[(width, elder, path)] = violations
            context.close()
    assert found == {}


def test_elder_mode_grows_text_in_two_steps_raises_contrast_and_is_remembered(
    phone_page, live_server, transactional_db, screenshot
):
    page = phone_page
    page.goto(live_server.url + "/")
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    plain = page.evaluate(size)
    page.get_by_role("button", name="长辈模式").click()
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.evaluate(size) >= 1.4 * plain
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)") >= 1.3 * (
        page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    )
    page.get_by_role("button", name="特大字").click()
    assert page.evaluate(size) == pytest.approx(2 * 16, abs=0.5)
    # remembered: the next page is in 长辈模式 from its first paint, no click needed
    page.goto(live_server.url + "/bases/")
    assert page.evaluate("document.documentElement.className") == "elder text-2x"
    # touch targets: every button and the navigation links at least 44 px high
    heights = page.evaluate(
        "[...document.querySelectorAll('main .btn, header .btn')]"
        ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="特大字").click()
    page.get_by_role("button", name="长辈模式").click()
    assert page.evaluate("document.documentElement.className") == ""
    page.reload()
    assert page.evaluate("document.documentElement.className") == ""


def test_read_aloud_speaks_the_story_in_mandarin(phone_page, live_server, transactional_db):
    from redhistory.models import OralHistory, Release, Veteran

    narrator = Veteran.objects.create(name="王老", gender="M", birth_year=1922, county="zuoquan")
    story = OralHistory.objects.create(
        title="关家垴战斗的一夜",
        narrator=narrator,
        status="published",
        summary="一九四零年秋，八路军在关家垴与日军激战，老人讲述他背弹药上山的那一夜。",
    )
    Release.objects.create(oral_history=story, scope=Release.Scope.PUBLIC)
    page = phone_page
    # Chromium without a speech engine: record what would be spoken instead
    page.add_init_script(
        """window.__spoken = [];
        window.speechSynthesis.speak = u => window.__spoken.push([u.lang, u.text]);
        window.speechSynthesis.cancel = () => {};"""
    )
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("button", name="朗读故事").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0][0] == "zh-CN"
    assert spoken[0][1] == story.summary
    assert page.get_by_role("button", name="朗读故事").get_attribute("aria-pressed") == "true"


def test_keyboard_focus_is_visible_on_the_red_header(browser, live_server, transactional_db):
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand, on red
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; })()"
    )
    assert outline[0] == "solid" and outline[1] >= 2
    assert outline[2] == "rgb(255, 255, 255)"  # white on the red header
    context.close()
