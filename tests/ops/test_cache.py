"""Public pages cached per generation; Redis down means cache misses, never errors."""

import socket

import pytest
from django.conf import settings
from django.urls import reverse

from ops import cache as portal_cache
from ops.cache_backend import ResilientRedisCache
from tests.factories.exhibitions import EducationBaseFactory


@pytest.mark.django_db
def test_a_public_page_is_served_from_the_cache_until_a_record_changes(client):
    base = EducationBaseFactory(name="麻田八路军总部纪念馆")
    first = client.get(reverse("exhibitions:base-list"))
    assert first["X-Portal-Cache"] == "miss"
    second = client.get(reverse("exhibitions:base-list"))
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content or "麻田八路军总部纪念馆" in second.content.decode()

    base.name = "麻田八路军总部旧址"
    base.save()
    third = client.get(reverse("exhibitions:base-list"))
    assert third["X-Portal-Cache"] == "miss"
    assert "麻田八路军总部旧址" in third.content.decode()


@pytest.mark.django_db
def test_a_cached_page_is_served_in_fewer_queries(client, django_assert_max_num_queries):
    EducationBaseFactory()
    client.get(reverse("home"))
    with django_assert_max_num_queries(0):
        assert client.get(reverse("home"))["X-Portal-Cache"] == "hit"


@pytest.mark.django_db
def test_each_language_has_its_own_cached_page(client):
    client.get(reverse("home"))
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.django_db
def test_a_cached_page_carries_each_visitors_own_csrf_token(client):
    from django.test import Client

    client.get(reverse("home"))
    other = Client()
    page = other.get(reverse("home"))
    assert page["X-Portal-Cache"] == "hit"
    # The language switch must work for the second visitor with the token they were given.
    other_token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switch = Client(enforce_csrf_checks=True)
    switch.cookies = other.cookies
    response = switch.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": other_token},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_signed_in_staff_always_get_a_fresh_page(staff_client):
    staff_client.get(reverse("home"))
    response = staff_client.get(reverse("home"))
    assert "X-Portal-Cache" not in response


@pytest.mark.django_db
def test_saving_or_deleting_a_record_bumps_its_apps_generation():
    before = portal_cache.generations(["exhibitions", "members"])
    base = EducationBaseFactory()
    middle = portal_cache.generations(["exhibitions", "members"])
    assert middle["exhibitions"] != before["exhibitions"]
    assert middle["members"] == before["members"]
    base.delete()
    assert portal_cache.generations(["exhibitions"])["exhibitions"] != middle["exhibitions"]


@pytest.mark.django_db
def test_fragment_is_recomputed_after_a_change():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert portal_cache.fragment(["exhibitions"], "count", build) == 1
    assert portal_cache.fragment(["exhibitions"], "count", build) == 1
    portal_cache.bump("exhibitions")
    assert portal_cache.fragment(["exhibitions"], "count", build) == 2


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_redis():
    return ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "retry_after": 5}},
    )


def test_redis_down_means_misses_not_errors(dead_redis):
    assert dead_redis.get("anything") is None
    assert dead_redis.get("anything", "default") == "default"
    assert dead_redis.set("key", "value") is None
    assert dead_redis.add("key", "value") is False
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.get_or_set("key", "computed") == "computed"
    assert dead_redis.incr("counter") is None
    assert dead_redis.delete("key") is False
    assert not dead_redis.available


def test_a_live_redis_is_used():
    """.ci/run starts Redis on 127.0.0.1:6379 when the machine has none running."""
    live = ResilientRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "portal-test"})
    live.set("greeting", "你好", 30)
    assert live.get("greeting") == "你好"
    assert live.get_many(["greeting", "nobody"]) == {"greeting": "你好"}
    assert live.available
    live.delete("greeting")
    # One redis-py client per connection pool, not one per call.
    assert live._cache.get_client() is live._cache.get_client()


@pytest.mark.django_db
def test_the_site_serves_with_redis_down(client, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    try:
        EducationBaseFactory(name="太行纪念馆")
        response = client.get(reverse("exhibitions:base-list"))
        assert response.status_code == 200
        assert "太行纪念馆" in response.content.decode()
        assert client.get("/healthz").status_code == 200
    finally:
        assert isinstance(caches["default"], ResilientRedisCache)


def test_cache_url_selects_the_resilient_redis_backend():
    from tests.config.test_settings import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], "
        "s.CACHES['default']['LOCATION'], s.SESSION_ENGINE)",
        DJANGO_DEBUG="True",
        CACHE_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1] == (
        "ops.cache_backend.ResilientRedisCache redis://127.0.0.1:6379/3 "
        "django.contrib.sessions.backends.cached_db"
    )


@pytest.mark.django_db
def test_red_memory_pages_are_cached_until_a_red_history_record_changes(client):
    from redhistory.models import OralHistory
    from tests.factories.redhistory import OralHistoryFactory

    story = OralHistoryFactory(published=True, title="太行山上的交通员")
    url = reverse("redhistory:oralhistory-list")
    assert client.get(url)["X-Portal-Cache"] == "miss"
    cached = client.get(url)
    assert cached["X-Portal-Cache"] == "hit"
    assert "太行山上的交通员" in cached.content.decode()

    # Withdrawn: the next visitor must not get the cached page that still lists it.
    story.status = OralHistory.Status.DRAFT
    story.save()
    fresh = client.get(url)
    assert fresh["X-Portal-Cache"] == "miss"
    assert "太行山上的交通员" not in fresh.content.decode()
    detail = client.get(reverse("redhistory:oralhistory-detail", args=[story.pk]))
    assert detail.status_code == 404


@pytest.mark.django_db
def test_every_public_red_memory_and_statistics_view_is_cached():
    from redhistory import views as redhistory_views
    from visits import views as visits_views

    public = [
        redhistory_views.index,
        redhistory_views.search_view,
        redhistory_views.oralhistory_list,
        redhistory_views.oralhistory_detail,
        redhistory_views.artefact_list,
        redhistory_views.artefact_detail,
        redhistory_views.veteran_list,
        redhistory_views.veteran_detail,
        redhistory_views.film_list,
        redhistory_views.film_detail,
        visits_views.public_statistics,
        visits_views.booking_start,
        visits_views.booking_create,
        visits_views.booking_lookup,
        visits_views.check_in,
    ]
    assert [view.__name__ for view in public if not getattr(view, "portal_cached", False)] == []
    for view in (visits_views.statistics, visits_views.poster, visits_views.booking_done):
        assert not getattr(view, "portal_cached", False)


@pytest.mark.django_db
def test_public_statistics_are_cached_until_a_visit_is_recorded(client):
    from tests.factories.visits import VisitFactory

    visit = VisitFactory(headcount=40)
    url = reverse("visits:public-statistics") + f"?year={visit.visited_on.year}"
    first = client.get(url)
    assert first["X-Portal-Cache"] == "miss"
    assert client.get(url)["X-Portal-Cache"] == "hit"
    VisitFactory(base=visit.base, visited_on=visit.visited_on, headcount=1234)
    fresh = client.get(url)
    assert fresh["X-Portal-Cache"] == "miss"
    assert "1,274" in fresh.content.decode() or "1274" in fresh.content.decode()


@pytest.mark.django_db
def test_page_caching_can_be_switched_off(client, settings):
    settings.PORTAL_PAGE_CACHE = False
    client.get(reverse("home"))
    assert "X-Portal-Cache" not in client.get(reverse("home"))


@pytest.mark.django_db
def test_the_demo_invalidates_every_cached_page():
    from core.demo import load_demo

    before = portal_cache.generations(settings.PORTAL_APPS)
    load_demo(steps=[])  # the demo writes in bulk, without signals
    after = portal_cache.generations(settings.PORTAL_APPS)
    assert all(after[label] != before[label] for label in before)


@pytest.mark.django_db
def test_a_save_bumps_again_when_its_transaction_commits(django_capture_on_commit_callbacks):
    # A page rendered between the save and the commit shows the old records: it must not stay
    # valid under the generation the save created.
    base = EducationBaseFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        base.name = "改名后的基地"
        base.save()
        during = portal_cache.generations(["exhibitions"])["exhibitions"]
    assert callbacks
    for callback in callbacks:
        callback()
    assert portal_cache.generations(["exhibitions"])["exhibitions"] != during


class FlakyCache:
    """A cache that can be down: calls then do nothing, as ResilientRedisCache's do."""

    def __init__(self):
        from django.core.cache.backends.locmem import LocMemCache

        self.store = LocMemCache("flaky", {})
        self.available = True

    def __getattr__(self, name):
        method = getattr(self.store, name)

        def call(*args, **kwargs):
            if not self.available:
                return {} if name == "get_many" else None
            return method(*args, **kwargs)

        return call


def test_a_bump_lost_in_an_outage_is_replayed_when_the_cache_is_back(monkeypatch):
    flaky = FlakyCache()
    monkeypatch.setattr(portal_cache, "cache", flaky)
    monkeypatch.setattr(portal_cache, "_lost_bumps", set())
    before = portal_cache.generations(["visits"])["visits"]
    flaky.available = False
    portal_cache.bump("visits")  # a visit recorded while Redis is down
    flaky.available = True
    # The first read after the outage replays the bump: pages stored before it are stale.
    assert portal_cache.generations(["visits"])["visits"] != before
    assert portal_cache._lost_bumps == set()


@pytest.mark.django_db
def test_each_host_has_its_own_cached_page(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example", "www.portal.example", "testserver"]
    first = client.get(reverse("home"), HTTP_HOST="portal.example")
    other = client.get(reverse("home"), HTTP_HOST="www.portal.example")
    assert first["X-Portal-Cache"] == other["X-Portal-Cache"] == "miss"
    assert "www.portal.example" not in first.content.decode()


@pytest.mark.django_db
def test_unknown_query_parameters_neither_make_nor_poison_an_entry(client):
    EducationBaseFactory(name="麻田八路军总部纪念馆")
    url = reverse("exhibitions:base-list")
    # Rendered with a parameter the view does not read: served, but not stored.
    shared = client.get(url, {"from": "timeline", "isappinstalled": "0"})
    assert shared.status_code == 200 and shared["X-Portal-Cache"] == "pass"
    assert client.get(url)["X-Portal-Cache"] == "miss"
    # Once the plain page is cached, a shared link's visitors get it.
    assert client.get(url, {"from": "timeline"})["X-Portal-Cache"] == "hit"
    # A parameter the view reads is a page of its own.
    assert client.get(url, {"kind": "independent"})["X-Portal-Cache"] == "miss"
    assert client.get(url, {"kind": "independent", "x": "1"})["X-Portal-Cache"] == "hit"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # Production on the per-process locmem cache: workers would not share invalidations.
        ({}, "default False"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/3"}, "default True"),
        # Pages in a Redis of their own; rate limits stay in the default cache.
        ({"PAGE_CACHE_URL": "redis://127.0.0.1:6379/4"}, "pages True"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/3", "PORTAL_PAGE_CACHE": "False"}, "default False"),
    ],
)
def test_pages_are_cached_only_in_a_cache_every_worker_shares(env, expected):
    from tests.config.test_settings import GOOD_KEY, run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.PORTAL_PAGE_CACHE_ALIAS, s.PORTAL_PAGE_CACHE)",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.cn",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1] == expected


@pytest.mark.django_db
def test_migrate_after_a_deploy_invalidates_every_cached_page():
    from django.core.management import call_command

    before = portal_cache.generations(settings.PORTAL_APPS)
    call_command("migrate", verbosity=0)
    after = portal_cache.generations(settings.PORTAL_APPS)
    assert all(after[label] != before[label] for label in before)
