"""WeChat share cards: the signature view against a fake WeChat API on loopback."""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from ops import wechat


class FakeWeChat(BaseHTTPRequestHandler):
    calls = []

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        FakeWeChat.calls.append((parts.path, query))
        if parts.path == "/cgi-bin/token":
            if query.get("secret") != "s3cret":
                body = {"errcode": 40001, "errmsg": "invalid credential"}
            else:
                body = {"access_token": "TOKEN-1", "expires_in": 7200}
        elif parts.path == "/cgi-bin/ticket/getticket" and query.get("access_token") == "TOKEN-1":
            body = {"errcode": 0, "errmsg": "ok", "ticket": "TICKET-1", "expires_in": 7200}
        else:
            body = {"errcode": 40014, "errmsg": "invalid access_token"}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_wechat(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeWeChat.calls = []
    settings.WECHAT_API_BASE = f"http://127.0.0.1:{server.server_port}"
    settings.WECHAT_APP_ID = "wx1234"
    settings.WECHAT_APP_SECRET = "s3cret"
    cache.delete_many([wechat.TOKEN_KEY, wechat.TICKET_KEY])
    yield FakeWeChat
    server.shutdown()
    server.server_close()


def test_the_signature_follows_wechats_algorithm_and_the_ticket_is_cached(client, fake_wechat):
    url = "http://testserver/bases/base-01/?from=timeline"
    response = client.get(reverse("wechat-signature"), {"url": url + "#share"})
    assert response.status_code == 200
    values = response.json()
    plain = (
        f"jsapi_ticket=TICKET-1&noncestr={values['nonceStr']}"
        f"&timestamp={values['timestamp']}&url={url}"
    )
    assert values["signature"] == hashlib.sha1(plain.encode()).hexdigest()
    assert values["appId"] == "wx1234"
    assert response["Cache-Control"] == "no-store"
    # a second page asks WeChat nothing: token and ticket come from the cache
    client.get(reverse("wechat-signature"), {"url": "http://testserver/"})
    assert [path for path, _ in fake_wechat.calls] == [
        "/cgi-bin/token",
        "/cgi-bin/ticket/getticket",
    ]
    assert cache.get(wechat.TICKET_KEY) == "TICKET-1"


def test_a_wechat_error_is_a_503_and_nothing_is_cached(client, fake_wechat, settings):
    settings.WECHAT_APP_SECRET = "wrong"
    response = client.get(reverse("wechat-signature"), {"url": "http://testserver/"})
    assert response.status_code == 503
    assert cache.get(wechat.TOKEN_KEY) is None


def test_only_the_portals_own_pages_are_signed(client, fake_wechat):
    response = client.get(reverse("wechat-signature"), {"url": "https://evil.example/"})
    assert response.status_code == 400
    assert fake_wechat.calls == []


@pytest.mark.django_db
def test_without_configuration_there_is_no_signature_and_no_sdk(client, settings):
    settings.WECHAT_APP_ID = settings.WECHAT_APP_SECRET = ""
    assert client.get(reverse("wechat-signature"), {"url": "http://testserver/"}).status_code == 404
    page = client.get("/").content.decode()
    assert "jweixin" not in page and "portal-wechat-signature" not in page


@pytest.mark.django_db
def test_with_configuration_pages_load_the_sdk_and_name_the_endpoint(client, fake_wechat):
    page = client.get("/").content.decode()
    assert "jweixin-module-1.6.0/jweixin.js" in page
    assert '<meta name="portal-wechat-signature" content="/wechat/signature">' in page
