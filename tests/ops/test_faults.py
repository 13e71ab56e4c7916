"""A database outage gives a clear Chinese "try again" page (503) and leaves nothing half-written."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from branches.models import Unit


@pytest.fixture
def fault_client(client, settings):
    settings.ROOT_URLCONF = "tests.ops.fault_urls"
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_a_write_cut_off_by_the_database_is_a_503_and_leaves_nothing(fault_client):
    response = fault_client.post("/half-written/", {"group": "太谷区老干部党支部"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "系统繁忙，请稍后重试" in html
    assert "未被保存" in html
    assert not Unit.objects.filter(name="故障演练单位一").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_public_page_during_an_outage_is_a_503(fault_client, error):
    with mock.patch("reports.views.key_figures", side_effect=error("no database")):
        response = fault_client.get("/")
    assert response.status_code == 503
    assert "系统繁忙" in response.content.decode()


@pytest.mark.django_db
def test_an_outage_outside_the_view_is_a_503_too(fault_client):
    """The session store is read by middleware, before any view runs."""
    fault_client.cookies["sessionid"] = "abcdefghijklmnopqrstuvwxyz012345"
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=OperationalError("no database"),
    ):
        response = fault_client.get("/admin/")
    assert response.status_code == 503
    assert "系统繁忙" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_stay_500(fault_client):
    with mock.patch("reports.views.key_figures", side_effect=ValueError("bug")):
        response = fault_client.get("/")
    assert response.status_code == 500
    assert "抱歉，系统出现错误" in response.content.decode()


def test_connections_are_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
