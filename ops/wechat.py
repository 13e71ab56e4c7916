"""WeChat JS-SDK signatures, so a page shared inside WeChat shows its title, description and
image as a card instead of a bare link.

WeChat wants, per page URL, a SHA-1 signature over a jsapi_ticket, which is fetched with an
access_token; both last two hours and WeChat limits how often they may be fetched (2,000 a day),
so both are kept in the cache (Redis in production) a little shorter than WeChat keeps them.
Nothing happens unless WECHAT_APP_ID and WECHAT_APP_SECRET are set; any failure is logged and
the page simply shares as a plain link.
"""

import hashlib
import json
import logging
import secrets
import time
from urllib.parse import urlencode
from urllib.request import urlopen

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
TOKEN_KEY = "wechat:access_token"
TICKET_KEY = "wechat:jsapi_ticket"
MARGIN = 300  # seconds: renew five minutes before WeChat's own expiry
TIMEOUT = 5  # seconds for a call to WeChat; a slow API must not hold a request long


class WeChatError(Exception):
    pass


def configured():
    return bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET)


def _get(path, params):
    url = f"{settings.WECHAT_API_BASE.rstrip('/')}{path}?{urlencode(params)}"
    with urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (a configured https base)
        data = json.loads(response.read().decode())
    if data.get("errcode"):
        raise WeChatError(f"{path}: {data.get('errcode')} {data.get('errmsg', '')}")
    return data


def _cached(key, fetch, value_field):
    value = cache.get(key)
    if value:
        return value
    data = fetch()
    value = data[value_field]
    cache.set(key, value, max(60, int(data.get("expires_in", 7200)) - MARGIN))
    return value


def access_token():
    return _cached(
        TOKEN_KEY,
        lambda: _get(
            "/cgi-bin/token",
            {
                "grant_type": "client_credential",
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
            },
        ),
        "access_token",
    )


def jsapi_ticket():
    return _cached(
        TICKET_KEY,
        lambda: _get(
            "/cgi-bin/ticket/getticket", {"access_token": access_token(), "type": "jsapi"}
        ),
        "ticket",
    )


def signature(url, *, nonce=None, timestamp=None):
    """The `wx.config` values for the page at `url` (without its #fragment)."""
    url = url.split("#", 1)[0]
    nonce = nonce or secrets.token_hex(8)
    timestamp = timestamp or int(time.time())
    ticket = jsapi_ticket()
    # WeChat's documented order: jsapi_ticket, noncestr, timestamp, url, in plain k=v&… form
    plain = f"jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={url}"
    return {
        "appId": settings.WECHAT_APP_ID,
        "nonceStr": nonce,
        "timestamp": timestamp,
        "signature": hashlib.sha1(plain.encode()).hexdigest(),
    }
