"""The pages issue 13's access fixes changed, seen in Chromium on a phone and a desktop: an old
version read-only (no field, no button), and a base administrator's refused display."""

import datetime

import pytest
from django.urls import reverse

from core import roles
from tests.browser.conftest import login
from tests.browser.test_security import watch_csp
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.exhibitions import EducationBaseFactory, ExhibitionSectionFactory
from tests.factories.redhistory import ArtefactFactory, VeteranFactory

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("size", SIZES)
def test_an_old_version_is_shown_read_only(
    browser, live_server, transactional_db, size, screenshot
):
    UserFactory(username="manager", roles=[roles.MANAGER])
    veteran = VeteranFactory(name="王德胜", native_place="山西榆次")
    old = veteran.history.latest()
    veteran.native_place = "山西太谷"
    veteran.save()
    page = browser.new_context(viewport=SIZES[size], locale="zh-CN").new_page()
    violations = watch_csp(page)
    login(page, live_server, "manager", PASSWORD)
    page.wait_for_url("**/admin/")
    url = reverse("admin:redhistory_veteran_simple_history", args=[veteran.pk, old.history_id])
    page.goto(live_server.url + url)
    assert page.locator("text=山西榆次").count() >= 1
    assert page.locator("form input[name=native_place], form input[type=submit]").count() == 0
    assert page.locator("h1").inner_text().startswith("查看")
    screenshot(page, f"version-read-only-{size}")
    assert violations == []


@pytest.mark.parametrize("size", SIZES)
def test_a_base_administrator_sees_why_an_artefact_cannot_be_displayed(
    browser, live_server, transactional_db, size, screenshot
):
    from redhistory.services import artefact_display

    user = UserFactory(username="base_admin", roles=[roles.BASE_ADMINISTRATOR])
    own = EducationBaseFactory(slug="own-base", name="左权县红色教育基地")
    own.administrators.add(user)
    other = EducationBaseFactory(slug="other-base", name="平遥县红色教育基地", county="pingyao")
    artefact = ArtefactFactory()
    artefact_display(artefact=artefact, base=other, on=datetime.date(2024, 6, 1), by=None)
    section = ExhibitionSectionFactory(base=own, title="烽火家书")
    page = browser.new_context(viewport=SIZES[size], locale="zh-CN").new_page()
    violations = watch_csp(page)
    login(page, live_server, "base_admin", PASSWORD)
    page.wait_for_url("**/admin/")
    page.goto(
        live_server.url + reverse("admin:exhibitions_exhibitionsection_display", args=[section.pk])
    )
    page.fill("input[name=accession_number]", artefact.accession_number)
    page.click("#content input[type=submit]")
    page.wait_for_load_state("load")
    screenshot(page, f"display-refused-{size}")
    message = page.locator(".errorlist")
    assert "只能布展库房中或您所管理基地的物件" in message.inner_text()
    assert message.is_visible()
    assert violations == []
    assert artefact.custody_events.get(ends_on__isnull=True).base == other
