"""The whole public site, crawled anonymously over the demo, shows no personal or private data.

The demo is loaded once for this module (inside a transaction rolled back at the end); every
check is computed from the database's own private values, so new apps are covered as they land.
"""

import pytest

from tests.ops import crawler


@pytest.fixture(scope="module")
def site(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return crawler.crawl()


@pytest.fixture
def crawled(site, db):
    return site


def test_the_crawl_covers_the_public_site_without_errors(crawled):
    pages, _media, errors = crawled
    assert errors == []
    assert "/" in pages
    assert "/bases/" in pages
    assert len(pages) >= 10


def test_no_page_shows_anything_like_an_id_number(crawled):
    pages, _media, _errors = crawled
    assert crawler.id_number_leaks(pages) == {}


def test_no_page_shows_a_personal_value_from_the_database(crawled):
    pages, _media, _errors = crawled
    values, _labels = crawler.private_values()
    assert "13935409876" in values and "14070219380309002X" in values
    assert crawler.personal_leaks(pages) == []


def test_no_page_links_or_names_an_unpublished_record(crawled, client):
    pages, _media, _errors = crawled
    records = crawler.unpublished_records()
    assert crawler.unpublished_leaks(pages) == []
    for _label, url, _text in records:
        if url:
            assert client.get(url).status_code == 404, url


def test_no_page_shows_a_non_public_media_file(crawled):
    pages, media, _errors = crawled
    assert crawler.media_leaks(pages, media) == []


def test_a_planted_leak_is_caught(demo, db):
    """The checks above can fail: a phone and an ID number written into a public text are found."""
    from exhibitions.models import EducationBase

    base = EducationBase.objects.public().order_by("pk").first()
    base.feature = "联系人电话13935409876，身份证14070219380309002X"
    base.save()
    pages, _media, _errors = crawler.crawl(limit=60, per_kind=2, start=[base.get_absolute_url()])
    assert crawler.id_number_leaks(pages)
    assert (base.get_absolute_url(), "13935409876") in crawler.personal_leaks(pages)
