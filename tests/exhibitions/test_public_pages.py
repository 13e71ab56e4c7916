import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from branches.models import Meeting
from exhibitions.models import Activity, ConstructionMilestone
from redhistory.models import OralHistory, Release, Veteran
from tests.factories.branches import MeetingFactory
from tests.factories.exhibitions import EducationBaseFactory, ExhibitionSectionFactory

from .conftest import display, make_artefact, make_visit


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def veteran(db):
    return Veteran.objects.create(name="王老", gender="M", birth_year=1926, county="zuoquan")


@pytest.mark.django_db
def test_home_shows_live_key_figures(anonymous, own_base, other_base, shut_base, veteran):
    make_artefact()
    make_artefact(published=False)
    story = OralHistory.objects.create(title="太行山上的冬天", narrator=veteran, status="published")
    # public only with the narrator's release for the public (redhistory's consent rule)
    Release.objects.create(oral_history=story, scope=Release.Scope.PUBLIC)
    OralHistory.objects.create(title="尚未发布的口述", narrator=veteran, status="draft")
    make_visit(own_base, 120)
    make_visit(other_base, 35)
    response = anonymous.get(reverse("home"))
    figures = response.context["figures"]
    assert figures["bases"] == 2  # open to visitors
    assert figures["bases_total"] == 3  # all count, as in the bureau's report
    assert figures["artefacts"] == 2  # every artefact collected, published or not
    assert figures["oral_histories"] == 1
    assert figures["visitors"] == 155
    html = html_of(response)
    assert "太行山上的冬天" in html
    assert "尚未发布的口述" not in html
    assert "150余人次" in html  # as Chinese statistics write a live count
    assert "3个" in html and "2个已开放，1个建设中" in html


@pytest.mark.django_db
def test_home_features_open_bases_and_shows_the_way_to_book(anonymous, own_base, shut_base):
    own_base.featured = True
    own_base.feature = "以老战士家书为特色"
    own_base.save()
    shut_base.featured = True
    shut_base.save()
    html = html_of(anonymous.get(reverse("home")))
    assert own_base.get_absolute_url() in html
    assert "以老战士家书为特色" in html
    # a base being built is on the map's list, marked so, with no link to a page it lacks
    assert shut_base.get_absolute_url() not in html
    assert f'{shut_base.name} <span class="badge text-bg-light">建设中</span>' in html
    assert "预约参观" in html


@pytest.mark.django_db
def test_base_list_filters_by_kind_and_county_with_counts(anonymous):
    EducationBaseFactory(slug="a", kind="independent", county="yuci")
    EducationBaseFactory(slug="b", kind="joint", county="yuci")
    EducationBaseFactory(slug="c", kind="joint", county="heshun")
    EducationBaseFactory(slug="d", kind="sub_base", county="heshun", opened=False)
    response = anonymous.get(reverse("exhibitions:base-list"), {"kind": "joint"})
    assert {b.slug for b in response.context["bases"]} == {"b", "c"}
    counties = {value: count for value, _label, count, _sel in response.context["counties"]}
    assert counties["yuci"] == 1 and counties["heshun"] == 1 and counties["pingyao"] == 0
    kinds = {value: count for value, _label, count, _sel in response.context["kinds"]}
    assert kinds == {"independent": 1, "joint": 2, "sub_base": 0}

    response = anonymous.get(reverse("exhibitions:base-list"), {"county": "yuci"})
    assert {b.slug for b in response.context["bases"]} == {"a", "b"}
    kinds = {value: count for value, _label, count, _sel in response.context["kinds"]}
    assert kinds == {"independent": 1, "joint": 1, "sub_base": 0}


@pytest.mark.django_db
def test_base_list_ignores_an_unknown_filter(anonymous, own_base):
    response = anonymous.get(reverse("exhibitions:base-list"), {"kind": "<script>", "county": "x"})
    assert list(response.context["bases"]) == [own_base]
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_base_list_cards_show_feature_and_opening_hours(anonymous, own_base):
    own_base.feature = "复原古城秘密交通站"
    own_base.opening_hours = "9:00—17:00"
    own_base.save()
    html = html_of(anonymous.get(reverse("exhibitions:base-list")))
    assert "复原古城秘密交通站" in html and "9:00—17:00" in html
    assert "<title>红色教育基地" in html


@pytest.mark.django_db
def test_base_page_shows_sections_in_order_with_their_public_artefacts(anonymous, own_base):
    second = ExhibitionSectionFactory(base=own_base, order=2, title="烽火家书")
    first = ExhibitionSectionFactory(base=own_base, order=1, title="序厅")
    shown = make_artefact(name="一封家书")
    hidden = make_artefact(name="未公开的物件", published=False)
    elsewhere = make_artefact(name="别处的勋章")
    display(shown, own_base, second)
    display(hidden, own_base, first)
    display(elsewhere, EducationBaseFactory(slug="elsewhere"))
    response = anonymous.get(own_base.get_absolute_url())
    html = html_of(response)
    assert html.index("序厅") < html.index("烽火家书") < html.index("一封家书")
    assert shown.get_absolute_url() in html
    assert "未公开的物件" not in html
    assert "别处的勋章" not in html
    assert [s.title for s, _displays in response.context["sections"]] == ["序厅", "烽火家书"]


@pytest.mark.django_db
def test_an_ended_display_is_no_longer_shown(anonymous, own_base, other_base):
    artefact = make_artefact(name="移走的军装")
    display(artefact, own_base, on=datetime.date(2022, 1, 1))
    display(artefact, other_base, on=datetime.date(2023, 1, 1))
    assert "移走的军装" not in html_of(anonymous.get(own_base.get_absolute_url()))
    assert "移走的军装" in html_of(anonymous.get(other_base.get_absolute_url()))


@pytest.mark.django_db
def test_base_page_shows_visiting_information_and_figures(anonymous, own_base):
    own_base.address = "左权县桐峪镇红星路1号"
    own_base.latitude, own_base.longitude = "37.082000", "113.379000"
    own_base.open_weekdays = "23"
    own_base.opening_hours = "9:00—11:30"
    own_base.contact = "接待办 王老师 0354-8612345"
    own_base.save()
    own_base.activities.set(Activity.objects.filter(code__in=["oath", "lecture"]))
    make_visit(own_base, 40, on=datetime.date(2022, 4, 1))
    make_visit(own_base, 60, on=datetime.date(2023, 4, 1))
    make_visit(own_base, 5, on=datetime.date(2023, 9, 1))
    response = anonymous.get(own_base.get_absolute_url())
    html = html_of(response)
    assert "左权县桐峪镇红星路1号" in html
    assert "uri.amap.com/marker" in html and "api.map.baidu.com/marker" in html
    assert "apis.map.qq.com/uri/v1/marker" in html
    assert "参观须知" in html and "身份证" in html
    assert "星期二、星期三" in html
    assert "重温入党誓词" in html and "现场党课" in html and "培训观摩" not in html
    # one tap calls the number; the name around it is not part of the link
    assert '接待办 王老师 <a href="tel:03548612345">0354-8612345</a>' in html
    assert 'href="tel:接待办' not in html
    assert response.context["visitors_total"] == 105
    assert response.context["visitors_by_year"] == [(2022, 40), (2023, 65)]


@pytest.mark.django_db
def test_base_page_shows_meetings_held_there_by_topic_and_date_only(anonymous, own_base):
    MeetingFactory(
        base=own_base,
        topic="重温入党誓词主题党日",
        held_on=datetime.date(2024, 7, 1),
        place="基地序厅",
    )
    MeetingFactory(topic="在别处的会议", kind=Meeting.Kind.GENERAL_MEETING)
    html = html_of(anonymous.get(own_base.get_absolute_url()))
    assert "2024-07-01 重温入党誓词主题党日" in html
    assert "在别处的会议" not in html


@pytest.mark.django_db
def test_base_description_is_plain_text_never_html(anonymous, own_base):
    own_base.description = '<script>alert("x")</script>\n\n第二段'
    own_base.save()
    html = html_of(anonymous.get(own_base.get_absolute_url()))
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<p>第二段</p>" in html


@pytest.mark.django_db
def test_base_page_has_its_title_description_and_open_graph_tags(anonymous, own_base):
    own_base.feature = "太行山里的抗战兵工厂"
    own_base.save()
    html = html_of(anonymous.get(own_base.get_absolute_url()))
    assert f"<title>{own_base.name} ·" in html
    assert 'name="description" content="独立党史学习教育共享基地' in html
    assert f'property="og:title" content="{own_base.name}"' in html
    assert 'property="og:description" content="太行山里的抗战兵工厂' in html
    assert 'property="og:type" content="article"' in html
    assert 'property="og:image"' in html
    assert "exhibitions/exhibitions.css" in html


@pytest.mark.django_db
def test_the_book_button_appears_only_when_the_booking_page_exists(anonymous, own_base):
    from django.urls import NoReverseMatch

    try:
        book_url = reverse("visits:booking-create", args=[own_base.slug])
    except NoReverseMatch:
        book_url = None
    html = html_of(anonymous.get(own_base.get_absolute_url()))
    if book_url:
        assert book_url in html
    else:
        assert "/visits/" not in html


@pytest.mark.django_db
def test_a_base_under_construction_is_not_public_anywhere(anonymous, own_base, shut_base):
    assert anonymous.get(shut_base.get_absolute_url()).status_code == 404
    assert shut_base.name not in html_of(anonymous.get(reverse("exhibitions:base-list")))
    home = html_of(anonymous.get(reverse("home")))
    assert shut_base.get_absolute_url() not in home  # on the map's list as being built, unlinked
    assert f'{shut_base.name} <span class="badge text-bg-light">建设中</span>' in home
    sitemap = anonymous.get("/sitemap.xml")
    locations = {
        node.text
        for node in ET.fromstring(sitemap.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    }
    assert any(loc.endswith(own_base.get_absolute_url()) for loc in locations)
    assert not any(loc.endswith(shut_base.get_absolute_url()) for loc in locations)
    # A sub-base under construction is not listed on its parent's page either.
    shut_base.parent = own_base
    shut_base.save()
    assert shut_base.name not in html_of(anonymous.get(own_base.get_absolute_url()))


@pytest.mark.django_db
def test_a_base_whose_opening_is_still_ahead_is_not_public(anonymous):
    soon = EducationBaseFactory(
        slug="soon", opened=datetime.date.today() + datetime.timedelta(days=3)
    )
    assert anonymous.get(soon.get_absolute_url()).status_code == 404
    assert ConstructionMilestone.objects.filter(base=soon, stage="opening").exists()


@pytest.mark.django_db
def test_a_sub_base_links_to_its_parent_only_when_the_parent_is_public(anonymous, shut_base):
    open_parent = EducationBaseFactory(slug="parent-open", name="太谷区红色家书陈列馆")
    child = EducationBaseFactory(slug="child", kind="sub_base", parent=open_parent)
    assert open_parent.get_absolute_url() in html_of(anonymous.get(child.get_absolute_url()))
    child.parent = shut_base
    child.save()
    html = html_of(anonymous.get(child.get_absolute_url()))
    assert shut_base.get_absolute_url() not in html and shut_base.name not in html


@pytest.mark.django_db
def test_base_list_description_counts_every_open_base_whatever_the_filter(anonymous):
    EducationBaseFactory(slug="a", kind="independent", county="yuci")
    EducationBaseFactory(slug="b", kind="joint", county="heshun")
    EducationBaseFactory(slug="c", kind="joint", county="yuci", opened=False)
    response = anonymous.get(reverse("exhibitions:base-list"), {"kind": "joint", "county": "yuci"})
    assert response.context["total"] == 2
    assert list(response.context["bases"]) == []
    assert "共2个对外开放" in response.content.decode()


@pytest.mark.django_db
def test_a_filtered_base_list_says_so_in_its_title(anonymous, own_base):
    response = anonymous.get(reverse("exhibitions:base-list"), {"kind": "joint", "county": "yuci"})
    assert "<title>联建联办离退休干部党性教育共享基地 · 榆次区 · 红色教育基地" in html_of(response)
