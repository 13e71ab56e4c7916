"""The visits forms' rate limits (ops.ratelimit) on the views visitors post to."""

import socket
import uuid

import pytest
from django.urls import reverse

from tests.factories.visits import BookingFactory
from tests.visits.test_public_pages import form_data
from visits.models import Booking, Visit
from visits.views import check_in_signature

BEHIND_NGINX = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lookup(client, booking, **extra):
    data = {"reference": booking.reference, "phone": "13900000000"}
    return client.post(reverse("visits:booking-lookup"), data, **extra)


def test_a_flood_from_one_address_is_stopped(client, bookable_base, settings):
    settings.VISITS_RATE_LIMITS = {"booking": (2, 3600)}
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    for _i in range(2):
        client.post(url, form_data(bookable_base, headcount="5"))
    response = client.post(url, form_data(bookable_base, headcount="5"))
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
    assert Booking.objects.count() == 2
    other = client.post(url, form_data(bookable_base, headcount="5"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.parametrize("allowed", [1, 3])
def test_lookups_are_refused_after_the_configured_count(client, bookable_base, settings, allowed):
    settings.VISITS_RATE_LIMITS = {"lookup": (allowed, 3600)}
    booking = BookingFactory(base=bookable_base)
    codes = [lookup(client, booking).status_code for _ in range(allowed + 2)]
    assert codes == [200] * allowed + [429, 429]


def test_check_in_is_rate_limited(client, bookable_base, settings):
    settings.VISITS_RATE_LIMITS = {"check_in": (1, 600)}
    url = reverse("visits:check-in", args=[bookable_base.slug, check_in_signature(bookable_base)])
    for expected in (200, 429):
        data = {"group_name": "某团", "category": "public", "headcount": "3"}
        response = client.post(url, {**data, "token": str(uuid.uuid4())})
        assert response.status_code == expected
    assert Visit.objects.count() == 1


def test_behind_nginx_each_visitor_has_their_own_allowance(client, bookable_base, settings):
    """Every request comes from nginx (127.0.0.1); X-Real-IP, which nginx overwrites, tells
    the visitors apart once the environment names it."""
    settings.VISITS_RATE_LIMITS = {"lookup": (1, 3600)}
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = BEHIND_NGINX
    booking = BookingFactory(base=bookable_base)
    first = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.7"}
    second = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "198.51.100.20"}
    assert lookup(client, booking, **first).status_code == 200
    assert lookup(client, booking, **second).status_code == 200
    assert lookup(client, booking, **first).status_code == 429
    assert lookup(client, booking, **second).status_code == 429


def test_without_the_setting_a_forwarded_header_is_not_believed(client, bookable_base, settings):
    settings.VISITS_RATE_LIMITS = {"lookup": (1, 3600)}
    booking = BookingFactory(base=bookable_base)
    assert lookup(client, booking, HTTP_X_REAL_IP="203.0.113.7").status_code == 200
    assert lookup(client, booking, HTTP_X_REAL_IP="198.51.100.20").status_code == 429


def test_the_forms_answer_with_redis_down(client, bookable_base, settings, caplog):
    settings.VISITS_RATE_LIMITS = {"booking": (1, 3600), "lookup": (1, 3600)}
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    booking = BookingFactory(base=bookable_base)
    url = reverse("visits:booking-create", args=[bookable_base.slug])
    for _i in range(2):
        assert client.post(url, form_data(bookable_base, headcount="5")).status_code == 302
        assert lookup(client, booking).status_code == 200
    assert Booking.objects.count() == 3
    assert "not enforced: the cache is unavailable" in caplog.text
