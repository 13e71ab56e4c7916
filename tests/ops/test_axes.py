"""Login throttling: a username+address pair is locked after five failures, for a while only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import PASSWORD

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, username, password, address="203.0.113.5"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "this_is_the_login_form": "1"},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_five_failures_lock_that_username_from_that_address(client, bureau_staff):
    for _ in range(4):
        assert attempt(client, "staff", "wrong-password").status_code == 200
    assert attempt(client, "staff", "wrong-password").status_code == 429
    locked = attempt(client, "staff", PASSWORD)
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lock_on_one_address_does_not_lock_staff_out_elsewhere(client, bureau_staff):
    for _ in range(6):
        attempt(client, "staff", "wrong-password", address="198.51.100.7")
    response = attempt(client, "staff", PASSWORD, address="203.0.113.5")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, bureau_staff):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, "staff", "wrong-password")
    assert attempt(client, "staff", PASSWORD).status_code == 429
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    AccessAttempt.objects.update(attempt_time=long_ago)
    from axes.models import AccessAttemptExpiration

    AccessAttemptExpiration.objects.update(expires_at=long_ago)
    response = attempt(client, "staff", PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_client_address_comes_from_the_proxy_header_only_when_configured(settings, rf):
    """nginx overwrites X-Real-IP with the address it saw (docs/deploy/nginx.conf)."""
    from axes.helpers import get_client_ip_address

    request = rf.get("/", HTTP_X_REAL_IP="1.2.3.4", REMOTE_ADDR="127.0.0.1")
    assert get_client_ip_address(request) == "127.0.0.1"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    assert get_client_ip_address(request) == "1.2.3.4"


@pytest.mark.django_db
def test_authenticate_without_a_request_still_works_for_tests_and_scripts(client, bureau_staff):
    assert client.login(username="staff", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
