"""A visitor on a phone: home → a base → what it displays → an artefact's page."""

import datetime

import pytest

from exhibitions.services import activities_ensure
from redhistory.models import Artefact, CustodyEvent
from redhistory.services import artefact_display
from tests.browser.conftest import login
from tests.factories.accounts import PASSWORD
from tests.factories.exhibitions import EducationBaseFactory, ExhibitionSectionFactory


@pytest.fixture
def displayed_base(db):
    activities = activities_ensure()
    base = EducationBaseFactory(
        slug="base-09",
        name="左权县太行老战士纪念馆",
        county="zuoquan",
        featured=True,
        feature="以太行山区八路军老战士的史迹为主线",
        brand="太行精神",
        opening_hours="9:00—11:30，14:30—17:00",
        address="山西省晋中市左权县太行路28号",
        latitude="37.082000",
        longitude="113.379000",
        contact="0354-3009999",
    )
    base.activities.set([activities["visit"], activities["oath"]])
    ExhibitionSectionFactory(base=base, order=1, title="序厅", text="走进太行。")
    section = ExhibitionSectionFactory(base=base, order=2, title="太行烽火", text="老战士的故事。")
    artefact = Artefact.objects.create(
        accession_number="HS-0001",
        name="八路军战士的搪瓷缸",
        category=Artefact.Category.OTHER,
        published=True,
    )
    CustodyEvent.objects.create(
        artefact=artefact, kind=CustodyEvent.Kind.ENTRY, starts_on=datetime.date(2020, 5, 1)
    )
    artefact_display(
        artefact=artefact, base=base, section=section, on=datetime.date(2022, 7, 1), by=None
    )
    return base


def test_a_visitor_on_a_phone_goes_from_home_to_an_artefact_on_display(
    live_server, phone_page, displayed_base, screenshot
):
    page = phone_page
    page.goto(live_server.url + "/")
    screenshot(page, "public-home-phone")
    page.get_by_role("link", name="左权县太行老战士纪念馆").click()
    page.wait_for_url("**/bases/base-09/")
    assert page.get_by_role("heading", name="左权县太行老战士纪念馆").is_visible()
    assert page.get_by_role("heading", name="2. 太行烽火").is_visible()
    screenshot(page, "public-base-phone")
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    artefact_link = page.get_by_role("link", name="八路军战士的搪瓷缸")
    artefact_link.scroll_into_view_if_needed()
    assert artefact_link.is_visible()
    artefact_link.click()
    page.wait_for_url("**/artefacts/HS-0001/")
    assert page.get_by_role("heading", name="八路军战士的搪瓷缸").is_visible()


def test_the_base_list_filters_by_county_on_a_phone(
    live_server, phone_page, displayed_base, screenshot
):
    EducationBaseFactory(slug="base-05", name="平遥县古城红色交通站纪念馆", county="pingyao")
    page = phone_page
    page.goto(live_server.url + "/bases/")
    assert page.get_by_role("link", name="平遥县古城红色交通站纪念馆").is_visible()
    screenshot(page, "public-base-list-phone")
    page.get_by_role("link", name="左权县 1").click()
    assert page.get_by_role("link", name="左权县太行老战士纪念馆").is_visible()
    assert page.get_by_role("link", name="平遥县古城红色交通站纪念馆").count() == 0


def test_the_base_page_prints_without_navigation(live_server, page, displayed_base):
    page.goto(live_server.url + displayed_base.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".portal-header").is_visible()
    assert not page.get_by_role("navigation", name="当前位置").is_visible()
    assert page.get_by_role("heading", name="2. 太行烽火").is_visible()


def test_a_base_administrator_edits_their_base(live_server, page, displayed_base, screenshot):
    from core import roles
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="base_admin", roles=[roles.BASE_ADMINISTRATOR])
    displayed_base.administrators.add(user)
    EducationBaseFactory(slug="base-05", name="平遥县古城红色交通站纪念馆", county="pingyao")
    login(page, live_server, "base_admin", PASSWORD)
    page.goto(live_server.url + "/admin/exhibitions/educationbase/")
    assert page.get_by_role("link", name="左权县太行老战士纪念馆").is_visible()
    assert page.get_by_role("link", name="平遥县古城红色交通站纪念馆").count() == 0
    screenshot(page, "base-admin-bases")
    page.get_by_role("link", name="左权县太行老战士纪念馆").click()
    page.fill("#id_feature", "以太行老战士的搪瓷缸、家书和军装为特色")
    screenshot(page, "base-admin-change")
    page.get_by_role("button", name="保存", exact=True).click()
    assert page.locator(".messagelist").is_visible()
    displayed_base.refresh_from_db()
    assert displayed_base.feature == "以太行老战士的搪瓷缸、家书和军装为特色"
