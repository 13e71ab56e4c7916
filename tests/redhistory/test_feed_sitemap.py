"""The Atom feed lists newly published public oral histories; the sitemap lists public pages only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from redhistory.models import OralHistory
from tests.factories.redhistory import (
    ArtefactFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    VeteranFactory,
)

pytestmark = pytest.mark.django_db


def test_the_feed_lists_public_oral_histories_newest_first(client):
    now = timezone.now()
    older = OralHistoryFactory(
        published=True, title="较早发布", published_at=now - datetime.timedelta(days=3)
    )
    newer = OralHistoryFactory(published=True, title="最新发布", published_at=now)
    OralHistoryFactory(title="草稿", status=OralHistory.Status.DRAFT)
    OralHistoryFactory(published=True, title="内部", release__scope="internal")
    OralHistoryFactory(
        published=True,
        title="未解禁",
        release__embargo_until=timezone.localdate() + datetime.timedelta(days=10),
    )
    response = client.get(reverse("redhistory:oralhistory-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert text.index("最新发布") < text.index("较早发布")
    assert newer.get_absolute_url() in text and older.get_absolute_url() in text
    for hidden in ["草稿", "内部", "未解禁"]:
        assert hidden not in text
    assert "部队番号" not in text  # the factory's restricted passage: the feed has summaries only


def test_the_feed_is_bounded(client):
    for i in range(25):
        OralHistoryFactory(published=True, title=f"第{i}篇")
    text = client.get(reverse("redhistory:oralhistory-feed")).content.decode()
    assert text.count("<entry>") == 20


def test_the_sitemap_lists_only_public_pages(client):
    public_veteran = VeteranFactory(public_profile=True)
    private_veteran = VeteranFactory(public_profile=False)
    story = OralHistoryFactory(published=True, narrator=public_veteran)
    draft = OralHistoryFactory(narrator=private_veteran)
    artefact = ArtefactFactory(published=True)
    hidden_artefact = ArtefactFactory(published=False)
    film = MicroFilmFactory(published=True, oral_histories=[story])
    hidden_film = MicroFilmFactory(published=True, oral_histories=[draft])

    text = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>https?://[^/]+([^<]+)</loc>", text))

    assert {
        reverse("redhistory:index"),
        reverse("redhistory:oralhistory-list"),
        reverse("redhistory:artefact-list"),
        reverse("redhistory:veteran-list"),
        reverse("redhistory:film-list"),
        story.get_absolute_url(),
        artefact.get_absolute_url(),
        public_veteran.get_absolute_url(),
        reverse("redhistory:film-detail", args=[film.pk]),
    } <= locations
    for hidden in [
        draft.get_absolute_url(),
        hidden_artefact.get_absolute_url(),
        private_veteran.get_absolute_url(),
        reverse("redhistory:film-detail", args=[hidden_film.pk]),
    ]:
        assert hidden not in locations
