"""With Redis down, every public page and form works: the cache, the page cache and the rate
limits are all Redis (docs/faults.md), and none of them may turn an outage into a 500."""

import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

from exhibitions.models import EducationBase
from ops.cache_backend import ResilientRedisCache
from tests.ops import crawler
from tests.visits.test_public_pages import form_data
from tests.visits.test_rate_limits import closed_port
from visits.models import Booking, Visit
from visits.views import check_in_signature


@pytest.fixture
def redis_down(settings):
    dead = {
        "BACKEND": "ops.cache_backend.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    settings.CACHES = {"default": dead, "pages": dead}
    settings.PORTAL_PAGE_CACHE_ALIAS = "pages"
    settings.PORTAL_PAGE_CACHE = True
    settings.VISITS_RATE_LIMITS = {"booking": (1, 3600), "lookup": (1, 3600), "check_in": (1, 600)}
    yield
    assert isinstance(caches["default"], ResilientRedisCache)


def test_every_public_page_answers_with_redis_down(demo, db, redis_down):
    pages, _media, errors = crawler.crawl(limit=150)
    assert errors == []
    assert len(pages) > 30
    assert "/" in pages and any(url.startswith("/bases/") for url in pages)


def test_every_public_form_works_with_redis_down(demo, db, redis_down, client):
    base = next(base for base in EducationBase.objects.public() if base.open_weekdays)
    base.capacity_per_slot = max(base.capacity_per_slot, 50)
    base.save()
    booking_url = reverse("visits:booking-create", args=[base.slug])
    assert client.get(booking_url).status_code == 200
    for number in range(2):  # twice: the limit of one is not enforced without Redis
        data = form_data(base, headcount="3", group_name=f"断缓存第{number}组")
        assert client.post(booking_url, data).status_code == 302
    booking = Booking.objects.get(group_name="断缓存第1组")
    lookup_url = reverse("visits:booking-lookup")
    for _ in range(2):
        page = client.post(lookup_url, {"reference": booking.reference, "phone": booking.phone})
        assert page.status_code == 200 and booking.group_name in page.content.decode()
    proof = page.context["cancel_form"].initial["proof"]
    cancelled = client.post(reverse("visits:booking-cancel"), {"proof": proof, "reason": "改期"})
    assert cancelled.status_code == 200
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    check_in = reverse("visits:check-in", args=[base.slug, check_in_signature(base)])
    assert client.get(check_in).status_code == 200
    for number in range(2):
        data = {"group_name": f"断缓存签到{number}", "category": "public", "headcount": "2"}
        assert client.post(check_in, {**data, "token": str(uuid.uuid4())}).status_code == 200
    assert Visit.objects.filter(group_name__startswith="断缓存签到").count() == 2
