"""The Content Security Policy breaks nothing: the admin and the public pages load with no
CSP violation in Chromium's console (every registered admin model's list and add pages)."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.exhibitions import EducationBaseFactory

# Pages whose templates still carry inline styles, owned by another app (reported to the lead):
# branches/templates/admin/branches/meeting_yearly.html has a <style> block and style attributes.
KNOWN_VIOLATIONS = set()


def admin_urls():
    """Every admin page that needs no object: index, each app's index, each model's list and
    add pages, and the extra pages apps register (reminders, yearly views...)."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for app_label in {model._meta.app_label for model in admin.site._registry}:
        urls.append(reverse("admin:app_list", args=[app_label]))
    for model_admin in admin.site._registry.values():
        for pattern in model_admin.get_urls():
            # process_import and the like answer only POST.
            if pattern.name and not pattern.pattern.regex.groups and "process" not in pattern.name:
                try:
                    urls.append(reverse(f"admin:{pattern.name}"))
                except NoReverseMatch:
                    continue
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        for name in ("changelist", "add"):
            try:
                urls.append(reverse("admin:{}_{}_{}".format(*info, name)))
            except NoReverseMatch:
                continue
    return sorted(set(urls) - KNOWN_VIOLATIONS)


def watch_csp(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"{page.url}: page error: {error}"))
    return violations


@pytest.fixture
def superuser_page(page, live_server, db):
    UserFactory(username="root", is_superuser=True)
    violations = watch_csp(page)
    login(page, live_server, "root", PASSWORD)
    page.wait_for_url("**/admin/")
    return page, violations


def test_every_admin_page_loads_without_csp_violations(superuser_page, live_server):
    page, violations = superuser_page
    base = EducationBaseFactory(name="榆社县红色教育基地")
    visited = []
    for url in [
        *admin_urls(),
        reverse("admin:exhibitions_educationbase_change", args=[base.pk]),
        reverse("admin:exhibitions_educationbase_history", args=[base.pk]),
    ]:
        response = page.goto(live_server.url + url)
        visited.append((url, response.status))
    assert [v for v in visited if v[1] >= 500] == []
    assert len(visited) > 10
    assert violations == [], "\n".join(sorted({v[:150] for v in violations}))


def test_admin_scripts_still_run_under_the_csp(superuser_page, live_server):
    """The admin's own JavaScript (date shortcuts, filter toggles) is served from static files."""
    page, violations = superuser_page
    page.goto(live_server.url + reverse("admin:auth_user_add"))
    page.wait_for_load_state("load")
    # The admin's password-usable toggle and the show/hide of the "Filter" sidebar are scripted;
    # a blocked script would leave the `window.django` namespace undefined.
    assert page.evaluate("typeof window.django") == "object"
    assert violations == []


def one_page_of_each_kind(paths):
    """One address per URL pattern: /bases/a/ and /bases/b/ are the same template."""
    import re

    kinds = {}
    for path in sorted(paths):
        kind = re.sub(r"/[^/]+/$", "/*/", path.split("?")[0])
        kinds.setdefault(kind, path)
    return sorted(kinds.values())


def test_every_kind_of_public_page_loads_without_csp_violations(
    page, live_server, transactional_db, demo_data
):
    """Over the demo: the crawl's pages (every public template, scripts and charts included)."""
    from tests.ops import crawler

    pages, _media, errors = crawler.crawl(limit=300)
    assert errors == []
    violations = watch_csp(page)
    visited = []
    for path in one_page_of_each_kind(pages):
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        visited.append((path, response.status))
    assert len(visited) >= 5
    assert [v for v in visited if v[1] >= 400] == []
    assert violations == []
    # Bootstrap's bundle is loaded from our own static files.
    assert page.evaluate("typeof window.bootstrap") == "object"


def test_the_export_pages_select_all_toggle_works_under_the_csp(superuser_page, live_server):
    """The toggle's inline handler was moved to static/js/admin-export.js: unticking "select all"
    must still untick every field of the resource, and ticking it tick them again."""
    page, violations = superuser_page
    page.goto(live_server.url + reverse("admin:members_member_export"))
    toggle = page.locator("input.select-toggle").first
    fields = page.locator("input[type=checkbox]:not(.select-toggle)")
    assert fields.count() >= 10
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    toggle.uncheck()
    assert not any(fields.nth(i).is_checked() for i in range(fields.count()))
    toggle.check()
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    assert violations == []
