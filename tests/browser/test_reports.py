"""The yearly report page in Chromium: pick a year, follow the build, download the workbook."""

import pytest

from tests.browser.conftest import login, wide
from tests.factories.accounts import PASSWORD


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_manager_builds_the_yearly_report_and_downloads_it(
    live_server, page, manager, immediate_tasks, screenshot
):
    login(page, live_server, "manager", PASSWORD)
    page.goto(live_server.url + "/reports/")
    assert page.get_by_role("heading", name="年度报表").is_visible()
    page.select_option("#id_start_year", "2024")
    page.select_option("#id_end_year", "2024")
    screenshot(page, "manager-yearly-report")
    page.get_by_role("button", name="生成报表").click()
    download_link = page.get_by_role("link", name="下载报表")
    download_link.wait_for(state="visible", timeout=15000)
    assert page.get_by_text("报表已生成。").is_visible()
    screenshot(page, "manager-yearly-report-ready")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == "2024年度报表.xlsx"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_report_and_statistics_pages_sit_in_the_admins_layout(
    live_server, browser, manager, width, screenshot
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, live_server, "manager", PASSWORD)
    for path, heading, name in [
        ("/reports/", "年度报表", "manager-yearly-report-layout"),
        ("/visits/statistics/", "参观统计", "manager-statistics-layout"),
    ]:
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", name=heading).is_visible()
        assert page.locator("#site-name").is_visible()
        assert page.locator("#logout-form").count() == 1
        assert page.locator(".breadcrumbs").get_by_role("link", name="首页").is_visible()
        screenshot(page, f"{name}-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px: {wide(page)}"
    assert errors == []
    context.close()
