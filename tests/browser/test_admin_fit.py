"""Every changelist and add page fits a laptop: no sideways scrolling at 1366×900 and no console
error (a blocked inline style or script, a missing file), walked as bureau staff over the demo."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import login, wide
from tests.factories.accounts import PASSWORD

SCROLLING_BOXES = """() => [...document.querySelectorAll(".results, .tabular, .inline-group")]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.className + " " + e.scrollWidth + ">" + e.clientWidth)"""


def staff_pages():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="staff")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if model_admin.has_view_permission(request):
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if model_admin.has_add_permission(request):
            try:
                yield reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            except NoReverseMatch:
                continue


def test_every_admin_list_and_add_page_fits_a_laptop(
    live_server, browser, transactional_db, demo_data, screenshot
):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    # The demo's passwords are random (or PORTAL_DEMO_PASSWORD): give its staff account a known one.
    staff = get_user_model().objects.get(username="staff")
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    login(page, live_server, "staff", PASSWORD)
    paths = list(staff_pages())
    assert len(paths) > 20
    too_wide = []
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status < 400, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide.append(f"{path}: {overflow}px {wide(page)}")
        # The admin lets a list or a tabular inline scroll inside its box, which hides its last
        # columns (the booking's status) as surely as the page scrolling would.
        if path == reverse("admin:visits_booking_changelist"):
            screenshot(page, "staff-booking-list")
        hidden = page.evaluate(SCROLLING_BOXES)
        if hidden:
            too_wide.append(f"{path}: {hidden}")
    context.close()
    assert too_wide == [], "Scrolls sideways at 1366 px:\n" + "\n".join(too_wide)
    assert errors == []
