import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_200_and_touches_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_home_page_is_chinese_by_default(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "晋中市委老干部局" in html
    assert "首页" in html
    assert 'property="og:title"' in html


@pytest.mark.django_db
def test_home_page_answers_in_english_when_asked(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_sets_the_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_admin_login_is_branded_in_chinese(client):
    response = client.get(reverse("admin:login"))
    assert "晋中市委老干部局党建工作平台" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bureau_staff", "secretary", "base_admin", "manager"])
def test_every_role_reaches_the_admin_index(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "数据录入与管理" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(anonymous):
    response = anonymous.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_favicon_ico_leads_to_the_portals_icon(client):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.ico")
    assert finders.find("img/favicon.ico")
