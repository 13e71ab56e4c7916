"""A staff session lives two hours past its last use, and using it writes it at most once a minute.

Writing the session on every request made an admin list with thumbnails write one row from many
threads at once: SQLite refused ("database table is locked") and the thumbnails failed with 400.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ops.middleware import SessionIdleMiddleware

pytestmark = pytest.mark.django_db


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_a_session_used_after_a_minute_lives_two_hours_from_now(staff_client, settings):
    session = staff_client.session
    session[SessionIdleMiddleware.KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )

    assert staff_client.get(reverse("admin:index")).status_code == 200

    expiry = Session.objects.get(session_key=session.session_key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_requests_within_a_minute_do_not_write_the_session(staff_client):
    staff_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert staff_client.get(reverse("admin:index")).status_code == 200
    assert session_writes(queries.captured_queries) == []


def test_an_expired_session_signs_the_clerk_out(staff_client):
    session_key = staff_client.session.session_key
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    # The cached_db engine reads the cache first: an expired session is gone from it too.
    from django.core.cache import cache

    cache.clear()
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_images_a_page_pulls_in_never_write_the_session(staff_client, settings):
    """An admin list's thumbnails arrive in parallel: none of them may write the session, even
    when the minute is over (the page itself moves the expiry on)."""
    from tests.factories.redhistory import ArtefactFactory, ArtefactImageFactory

    settings.PORTAL_SESSION_REFRESH = 0  # every page would write: the images still must not
    image = ArtefactImageFactory(artefact=ArtefactFactory(published=False))
    staff_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(image.image.url)
        b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert session_writes(queries.captured_queries) == []
