"""Search works for Chinese: a two-character word finds every public record containing it, in
titles, summaries, public transcripts, names and stories, and nothing withheld."""

import pytest
from django.db import connection
from django.urls import reverse

from redhistory import search, selectors
from redhistory.models import OralHistory, War
from tests.factories.redhistory import (
    ArtefactFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    SegmentFactory,
    VeteranFactory,
)

pytestmark = pytest.mark.django_db


def Story(**kwargs):
    """A published story with no text but what the test gives (the factory's summary has 百团)."""
    defaults = {"published": True, "summary": "", "transcript": ""}
    if "narrator" not in kwargs:
        defaults["narrator"] = VeteranFactory(name="某老")
    return OralHistoryFactory(**{**defaults, **kwargs})


def story_titles(query):
    return set(
        search.search_oral_histories(OralHistory.objects.public(), query).values_list(
            "title", flat=True
        )
    )


def hits(client, query, kind):
    response = client.get(reverse("redhistory:search"), {"q": query, "kind": kind})
    assert response.status_code == 200
    return [str(hit) for hit in response.context["results"][0][2].object_list]


def test_a_two_character_word_finds_it_in_every_text_of_a_story():
    narrator = VeteranFactory(name="郭保国")
    Story(title="百团大战亲历记")
    Story(title="甲", summary="讲述了百团大战的经过。")
    Story(title="乙", transcript="那一年，百团大战打响了。")
    Story(title="丙", narrator=narrator)
    segmented = Story(title="丁")
    SegmentFactory(oral_history=segmented, title="夜袭", keywords="百团 破袭", synopsis="")
    Story(title="无关", summary="修建水库。", transcript="修水库。")

    assert story_titles("百团") == {"百团大战亲历记", "甲", "乙", "丁"}
    assert story_titles("保国") == {"丙"}
    assert story_titles("水库") == {"无关"}


def test_every_term_must_match_and_an_ideographic_space_separates_terms():
    Story(title="太行山上", summary="游击战")
    Story(title="太行山下", summary="修水渠")
    assert story_titles("太行 游击") == {"太行山上"}
    assert story_titles("太行\u3000水渠") == {"太行山下"}
    assert story_titles("太行") == {"太行山上", "太行山下"}


def test_a_word_only_inside_a_restricted_passage_finds_nothing():
    OralHistoryFactory(
        published=True,
        title="甲",
        transcript="公开的话。[restricted]部队番号是某某[/restricted]又是公开的话。",
    )
    OralHistoryFactory(published=True, title="乙", transcript="公开。[restricted]秘密\n跨行的番号")
    assert story_titles("番号") == set()
    assert story_titles("某某") == set()
    assert story_titles("公开的话") == {"甲"}
    # The words around a withheld passage do not join into a new word.
    assert story_titles("话。又") == set()


def test_a_restricted_segment_is_not_searched():
    story = Story(title="甲")
    SegmentFactory(oral_history=story, title="密营", keywords="密营", synopsis="", restricted=True)
    assert story_titles("密营") == set()


def test_only_public_stories_are_found():
    OralHistoryFactory(title="草稿里的百团")
    Story(release__scope="internal", title="内部的百团")
    Story(title="公开的百团")
    assert story_titles("百团") == {"公开的百团"}


def test_artefacts_are_found_by_name_story_and_accession_number(client):
    ArtefactFactory(published=True, name="搪瓷缸", story="他在行军路上用它喝水。")
    ArtefactFactory(published=True, name="家书", story="写给母亲的一封信。")
    ArtefactFactory(published=False, name="未公开的搪瓷缸")
    numbered = ArtefactFactory(published=True, name="军装")
    assert hits(client, "搪瓷", "artefacts") == [
        str(a) for a in selectors.Artefact.objects.filter(name="搪瓷缸")
    ]
    assert len(hits(client, "母亲", "artefacts")) == 1
    assert hits(client, numbered.accession_number, "artefacts") == [str(numbered)]
    assert hits(client, numbered.accession_number.lower(), "artefacts") == [str(numbered)]


def test_veterans_are_found_only_with_a_public_profile(client):
    VeteranFactory(name="王振华", public_profile=True, biography="参加过上甘岭战役。")
    VeteranFactory(name="王振国", public_profile=False, biography="参加过上甘岭战役。")
    assert hits(client, "上甘岭", "veterans") == ["王振华"]
    assert hits(client, "振国", "veterans") == []


def test_films_are_found_by_title_and_summary(client):
    MicroFilmFactory(published=True, title="太行记忆", summary="老战士讲述上甘岭。")
    MicroFilmFactory(published=False, title="太行草稿")
    assert hits(client, "太行", "films") == ["太行记忆"]
    assert hits(client, "上甘岭", "films") == ["太行记忆"]


def test_the_search_page_shows_each_kind_and_pages_one_kind(client):
    veteran = VeteranFactory(name="赵德明", public_profile=True, services=[War.KOREA])
    for i in range(12):
        Story(narrator=veteran, title=f"上甘岭{i}")
    ArtefactFactory(published=True, name="上甘岭的弹片", donor=veteran)
    response = client.get(reverse("redhistory:search"), {"q": "上甘岭"})
    results = {kind: page for kind, _label, page in response.context["results"]}
    assert results["oral_histories"].paginator.count == 12
    assert len(results["oral_histories"].object_list) == 10
    assert results["artefacts"].paginator.count == 1
    assert results["veterans"].paginator.count == 0
    assert "kind=oral_histories" in response.content.decode()
    second = client.get(
        reverse("redhistory:search"), {"q": "上甘岭", "kind": "oral_histories", "page": 2}
    )
    assert [kind for kind, _label, _page in second.context["results"]] == ["oral_histories"]
    assert len(second.context["results"][0][2].object_list) == 2


def test_the_story_list_searches_within_its_filters(client):
    korea = VeteranFactory(services=[War.KOREA])
    Story(narrator=korea, title="长津湖的冬天")
    Story(title="冬天的太行")
    response = client.get(reverse("redhistory:oralhistory-list"), {"q": "冬天", "war": "korea"})
    assert [s.title for s in response.context["page"].object_list] == ["长津湖的冬天"]


def test_terms_are_capped():
    assert search.terms("  一 二 三 四 五 六 一 ") == ["一", "二", "三", "四", "五"]
    assert search.terms("") == []
    assert len("".join(search.terms("长" * 500))) == search.MAX_QUERY_LENGTH


def test_an_unclosed_passage_withholds_the_rest_on_the_page_and_in_search(client):
    story = OralHistoryFactory(
        published=True,
        title="未闭合",
        transcript="开头公开的话。[restricted]没有结束标记\n下一行也不公开",
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert "开头公开的话。" in page
    assert "没有结束标记" not in page and "下一行也不公开" not in page
    assert page.count("restricted-notice") == 1
    url = reverse("redhistory:oralhistory-list")
    for query, found in [("开头公开", ["未闭合"]), ("结束标记", []), ("下一行", [])]:
        response = client.get(url, {"q": query})
        assert [s.title for s in response.context["page"].object_list] == found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes are PostgreSQL's")
def test_postgresql_uses_the_trigram_indexes():
    Story(title="百团大战亲历记")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plans = {
                field: OralHistory.objects.filter(**{f"{field}__contains": "百团大战"}).explain()
                for field in ["title", "summary", "transcript"]
            }
        finally:
            cursor.execute("SET enable_seqscan = on")
    for field, plan in plans.items():
        assert f"redhistory_oral_{field}_trgm" in plan, plan
    assert story_titles("百团大战") == {"百团大战亲历记"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'redhistory_%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "redhistory_oral_title_trgm",
        "redhistory_oral_summary_trgm",
        "redhistory_oral_transcript_trgm",
        "redhistory_veteran_name_trgm",
        "redhistory_veteran_bio_trgm",
        "redhistory_artefact_name_trgm",
        "redhistory_artefact_story_trgm",
    } <= names


def test_a_story_named_for_the_words_ranks_before_one_that_only_mentions_them(client):
    Story(title="乙：上甘岭战役", summary="回忆。")
    Story(title="甲：往事", summary="说起了上甘岭的坑道。")  # newer: first without ranking
    assert hits(client, "上甘岭", "oral_histories") == ["乙：上甘岭战役", "甲：往事"]


def test_the_search_page_marks_the_words_found_and_escapes_the_rest(client):
    Story(title="<b>上甘岭</b>战役", summary="他在上甘岭的坑道里守了四十多天。")
    page = client.get(reverse("redhistory:search"), {"q": "上甘岭"}).content.decode()
    assert "&lt;b&gt;<mark>上甘岭</mark>&lt;/b&gt;战役" in page
    assert "他在<mark>上甘岭</mark>的坑道里" in page
    assert "<b>上甘岭" not in page
