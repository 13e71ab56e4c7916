"""The public red-memory pages show what a visitor should find: filters, the player with its
segment index, the public transcript, narrator, artefacts, veterans and films."""

import datetime

import pytest
from django.urls import reverse

from redhistory.models import Artefact, OralHistory, War
from tests.factories.redhistory import (
    ArtefactFactory,
    OralHistoryFactory,
    ScreeningFactory,
    SegmentFactory,
    VeteranFactory,
)

from .public_world import public_world

pytestmark = pytest.mark.django_db


def titles(response):
    return [story.title for story in response.context["page"].object_list]


def filter_counts(response, name):
    (found,) = [f for f in response.context["filters"] if f["name"] == name]
    return {label: count for label, count, _selected, _link in found["choices"]}


def test_the_column_is_linked_from_the_navigation(client):
    response = client.get(reverse("home"))
    assert f'href="{reverse("redhistory:index")}"' in response.content.decode()
    assert "红色记忆" in response.content.decode()


def test_the_index_shows_figures_and_the_newest_public_records(client):
    world = public_world()
    OralHistoryFactory(title="草稿", status=OralHistory.Status.DRAFT)
    response = client.get(reverse("redhistory:index"))
    assert response.context["figures"] == {
        "oral_histories": 1,
        "artefacts": 1,
        "veterans": 1,
        "films": 1,
    }
    text = response.content.decode()
    assert world.story.title in text and world.artefact.name in text and world.film.title in text
    assert "草稿" not in text


def test_stories_filter_by_war_theme_period_and_county(client):
    korea = VeteranFactory(county="heshun", services=[War.KOREA])
    both = VeteranFactory(county="yuci", services=[War.ANTI_JAPANESE, War.KOREA])
    OralHistoryFactory(
        published=True,
        narrator=korea,
        title="长津湖",
        theme=OralHistory.Theme.BATTLE,
        period=OralHistory.Period.REVOLUTION,
    )
    OralHistoryFactory(
        published=True,
        narrator=both,
        title="修水库",
        theme=OralHistory.Theme.MISSION,
        period=OralHistory.Period.CONSTRUCTION,
    )
    OralHistoryFactory(
        published=True,
        narrator=both,
        title="百团大战",
        theme=OralHistory.Theme.BATTLE,
        period=OralHistory.Period.REVOLUTION,
    )
    url = reverse("redhistory:oralhistory-list")

    assert sorted(titles(client.get(url, {"war": "korea"}))) == ["修水库", "百团大战", "长津湖"]
    assert sorted(titles(client.get(url, {"war": "anti_japanese"}))) == ["修水库", "百团大战"]
    assert titles(client.get(url, {"theme": "mission"})) == ["修水库"]
    assert titles(client.get(url, {"period": "revolution", "county": "heshun"})) == ["长津湖"]
    # An unknown value is ignored rather than emptying the list.
    assert len(titles(client.get(url, {"war": "boer"}))) == 3

    response = client.get(url, {"theme": "battle"})
    # Each count says how many stories that choice would show with the other filters kept.
    assert filter_counts(response, "war") == {
        War.ANTI_JAPANESE.label: 1,
        War.LIBERATION.label: 0,
        War.KOREA.label: 2,
    }
    assert filter_counts(response, "theme")[OralHistory.Theme.MISSION.label] == 1
    assert filter_counts(response, "county")["和顺县"] == 1
    text = response.content.decode()
    assert 'href="?theme=battle&amp;war=korea"' in text
    assert 'href="?theme=mission"' in text


def test_the_story_page_has_player_segments_transcript_narrator_and_artefacts(client):
    world = public_world()
    response = client.get(world.story.get_absolute_url())
    text = response.content.decode()
    assert (
        f'<audio class="player mb-2" data-player controls preload="metadata" src="{world.story.audio.url}" aria-label="{world.story.title}"'
        in text
    )
    assert 'data-seek="25"' in text and "搪瓷缸的来历" in text
    assert "0:25" in text
    assert "那年我十六岁" in text
    assert world.veteran.biography in text
    assert world.veteran.get_absolute_url() in text
    assert world.artefact.get_absolute_url() in text
    assert "redhistory/player.js" in text
    # No inline script: the Content-Security-Policy forbids them.
    assert "<script>" not in text and "onclick" not in text


def test_a_story_without_a_recording_lists_segments_without_links(client):
    story = OralHistoryFactory(published=True, transcript="公开。")
    SegmentFactory(oral_history=story, title="参军", start_seconds=30)
    text = client.get(story.get_absolute_url()).content.decode()
    assert "参军" in text
    assert "data-seek" not in text and "data-player" not in text


@pytest.mark.usefixtures("no_page_cache")
def test_the_artefact_gallery_filters_by_category_and_war(client):
    ArtefactFactory(published=True, name="纪念章", category=Artefact.Category.MEDAL, war=War.KOREA)
    ArtefactFactory(published=True, name="家书", category=Artefact.Category.LETTER, war=War.KOREA)
    ArtefactFactory(
        published=True,
        name="军装",
        category=Artefact.Category.UNIFORM,
        war=War.LIBERATION,
        images=1,
    )
    url = reverse("redhistory:artefact-list")

    def names(**params):
        return sorted(a.name for a in client.get(url, params).context["page"].object_list)

    assert names() == ["军装", "家书", "纪念章"]
    assert names(war="korea") == ["家书", "纪念章"]
    assert names(category="letter", war="korea") == ["家书"]
    assert names(category="uniform", war="korea") == []
    response = client.get(url, {"war": "korea"})
    assert filter_counts(response, "category")[Artefact.Category.LETTER.label] == 1
    assert filter_counts(response, "category")[Artefact.Category.UNIFORM.label] == 0
    text = client.get(url).content.decode()
    assert "/thumbnails/small/redhistory/artefacts/" in text


def test_the_artefact_page_shows_images_story_donor_display_and_segments(client):
    world = public_world()
    response = client.get(world.artefact.get_absolute_url())
    text = response.content.decode()
    assert "/thumbnails/medium/redhistory/artefacts/" in text
    assert world.artefact.story in text
    assert world.veteran.name in text and world.veteran.get_absolute_url() in text
    assert world.base.name in text and world.base.get_absolute_url() in text
    assert f"{world.story.get_absolute_url()}#t=25" in text
    assert "搪瓷缸的来历" in text


def test_an_artefact_on_display_at_an_unopened_base_shows_no_base(client):
    from redhistory.services import artefact_display
    from tests.factories.exhibitions import EducationBaseFactory

    artefact = ArtefactFactory(published=True)
    shut = EducationBaseFactory(name="在建的基地", opened=False)
    artefact_display(artefact=artefact, base=shut, on=datetime.date(2024, 7, 1), by=None)
    text = client.get(artefact.get_absolute_url()).content.decode()
    assert "在建的基地" not in text
    assert "目前未展出" in text


def test_a_donor_without_a_public_profile_is_not_named(client):
    artefact = ArtefactFactory(published=True, donor=VeteranFactory(name="孙桂兰"))
    assert "孙桂兰" not in client.get(artefact.get_absolute_url()).content.decode()


def test_the_veteran_page_shows_service_stories_artefacts_and_films(client):
    world = public_world()
    OralHistoryFactory(narrator=world.veteran, title="未发布的口述")
    response = client.get(world.veteran.get_absolute_url())
    text = response.content.decode()
    assert world.veteran.biography in text
    assert "八路军一二九师" in text and str(War.KOREA.label) in text
    assert world.story.title in text and "未发布的口述" not in text
    assert world.artefact.name in text
    assert world.film.title in text


@pytest.mark.usefixtures("no_page_cache")
def test_veterans_filter_by_war_and_county(client):
    VeteranFactory(name="甲", public_profile=True, county="yuci", services=[War.KOREA])
    VeteranFactory(name="乙", public_profile=True, county="taigu", services=[War.LIBERATION])
    VeteranFactory(name="丙", public_profile=False, county="yuci", services=[War.KOREA])
    url = reverse("redhistory:veteran-list")

    def names(**params):
        return sorted(v.name for v in client.get(url, params).context["page"].object_list)

    assert names() == ["乙", "甲"]
    assert names(war="korea") == ["甲"]
    assert names(county="taigu") == ["乙"]
    assert filter_counts(client.get(url), "war")[War.KOREA.label] == 1


def test_the_film_pages_show_public_films_with_sources_and_screenings(client):
    world = public_world()
    ScreeningFactory(film=world.film, place="榆次区老干部活动室", audience=80)
    list_text = client.get(reverse("redhistory:film-list")).content.decode()
    assert world.film.title in list_text
    text = client.get(reverse("redhistory:film-detail", args=[world.film.pk])).content.decode()
    assert world.story.get_absolute_url() in text
    assert world.veteran.get_absolute_url() in text
    assert "榆次区老干部活动室" in text and "80" in text


@pytest.mark.parametrize(
    "name,args",
    [
        ("redhistory:oralhistory-detail", [999]),
        ("redhistory:artefact-detail", ["HS-1999-0001"]),
        ("redhistory:veteran_detail", [999]),
        ("redhistory:film-detail", [999]),
    ],
)
def test_a_missing_record_is_a_404(client, name, args):
    assert client.get(reverse(name, args=args)).status_code == 404


def test_pages_are_chinese_by_default(client):
    world = public_world()
    text = client.get(world.story.get_absolute_url()).content.decode()
    assert "讲述人" in text and "内容片段" in text and "文字稿" in text


@pytest.mark.usefixtures("no_page_cache")
def test_every_filter_count_is_the_number_of_stories_its_link_shows(client):
    wars = [[War.KOREA], [War.ANTI_JAPANESE, War.KOREA], [], [War.LIBERATION], [War.KOREA] * 2]
    counties = ["yuci", "heshun", "yuci", "taigu", "heshun"]
    for i, (served, county) in enumerate(zip(wars, counties, strict=True)):
        narrator = VeteranFactory(county=county, services=served)
        for j in range(i % 3 + 1):
            OralHistoryFactory(
                published=True,
                narrator=narrator,
                summary="",
                title=f"故事{i}-{j}" + ("冬天" if j == 0 else ""),
                theme=list(OralHistory.Theme)[(i + j) % 3],
                period=list(OralHistory.Period)[j % 3],
            )
    url = reverse("redhistory:oralhistory-list")
    for start in ["", "?war=korea", "?theme=battle&county=heshun", "?q=冬天&period=revolution"]:
        response = client.get(url + start)
        for found in response.context["filters"]:
            for label, count, _selected, link in found["choices"]:
                shown = client.get(url + link.replace("&amp;", "&")).context["page"]
                # The queryset's own count, not the paginator's (which the facets gave it).
                assert shown.paginator.object_list.count() == count, (start, found["name"], label)
                assert shown.paginator.count == count
