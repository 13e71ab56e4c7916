"""The public frame every page shares: footer filings, robots.txt, icons, 长辈模式's hooks."""

import pytest


@pytest.mark.django_db
def test_footer_shows_the_filings_with_their_registry_links(client, settings):
    settings.PORTAL_HOST_ORGANISATION = "中共晋中市委老干部局"
    settings.PORTAL_ADDRESS = "山西省晋中市榆次区示例路1号"
    settings.PORTAL_PHONE = "0354-1234567"
    settings.PORTAL_ICP_NUMBER = "晋ICP备12345678号-1"
    settings.PORTAL_PSB_NUMBER = "晋公网安备14070202000123号"
    page = client.get("/").content.decode()
    assert "主办单位：中共晋中市委老干部局" in page
    assert "山西省晋中市榆次区示例路1号" in page
    assert '<a href="tel:03541234567">0354-1234567</a>' in page
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener" target="_blank">晋ICP备12345678号-1</a>'
        in page
    )
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=14070202000123" in page


@pytest.mark.django_db
def test_footer_leaves_out_filings_not_configured(client, settings):
    settings.PORTAL_ICP_NUMBER = settings.PORTAL_PSB_NUMBER = ""
    page = client.get("/").content.decode()
    assert "beian.miit.gov.cn" not in page
    assert "beian.mps.gov.cn" not in page
    assert "主办单位" in page


def test_robots_txt_keeps_crawlers_out_of_staff_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Disallow: /reports/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_every_page_names_its_theme_colour_icons_and_share_image(client):
    page = client.get("/").content.decode()
    assert '<meta name="theme-color" content="#b71c1c">' in page
    assert "img/favicon-32.png" in page
    assert "img/share.png" in page


@pytest.mark.django_db
def test_elder_mode_is_switched_in_the_browser_so_cached_pages_stay_identical(client):
    first = client.get("/").content.decode()
    client.cookies["portal_elder"] = "2"
    second = client.get("/").content.decode()
    assert "data-elder-toggle" in first
    assert 'class="elder' not in second  # the server never reads the cookie
    # the script that applies it is loaded in <head>, before the stylesheets
    head = first.split("</head>")[0]
    assert head.index("js/elder.js") < head.index("css/portal.css")
