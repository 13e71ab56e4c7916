from tests.browser.conftest import login
from tests.factories.accounts import PASSWORD


def test_home_page_opens_in_chinese(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "晋中市委老干部局" in page.title()
    assert page.get_by_role("link", name="首页").is_visible()
    screenshot(page, "public-home")


def test_language_switch_turns_the_page_english_and_back(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Home").is_visible()
    page.get_by_role("button", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_admin_login_is_branded_and_lets_staff_in(live_server, page, bureau_staff, screenshot):
    page.goto(live_server.url + "/admin/")
    assert "晋中市委老干部局党建工作平台" in page.content()
    screenshot(page, "admin-login")
    login(page, live_server, "staff", PASSWORD)
    assert page.get_by_role("heading", name="数据录入与管理").is_visible()
    screenshot(page, "admin-index")
