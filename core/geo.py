"""Coordinates for Chinese map apps.

Bases store WGS-84 (what a GPS or OpenStreetMap gives). 高德 and 腾讯 maps expect GCJ-02, the
state's offset datum, and 百度 its own BD-09 on top of that; a WGS-84 point put into them lands
some 300–600 m off in Jinzhong. The formulas are the published GCJ-02 approximation
(Krasovsky ellipsoid) and Baidu's BD-09 transform; outside China both datums equal WGS-84.
"""

import math
from urllib.parse import urlencode

from django.utils.translation import gettext as _

_A = 6378245.0  # Krasovsky 1940 semi-major axis, which GCJ-02 is defined on
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0


def _outside_china(lat, lng):
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _delta_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lng(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat, lng):
    """(lat, lng) in WGS-84 → GCJ-02 (高德, 腾讯)."""
    lat, lng = float(lat), float(lng)
    if _outside_china(lat, lng):
        return lat, lng
    d_lat = _delta_lat(lng - 105.0, lat - 35.0)
    d_lng = _delta_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lng + d_lng


def gcj02_to_bd09(lat, lng):
    """(lat, lng) in GCJ-02 → BD-09 (百度)."""
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def wgs84_to_bd09(lat, lng):
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def map_links(*, lat, lng, name):
    """Links that open the point in 高德, 百度 and 腾讯 maps (their web URIs also hand over to the
    app on a phone), as (key, label, url) triples."""
    g_lat, g_lng = wgs84_to_gcj02(lat, lng)
    b_lat, b_lng = wgs84_to_bd09(lat, lng)
    amap = "https://uri.amap.com/marker?" + urlencode(
        {"position": f"{g_lng:.6f},{g_lat:.6f}", "name": name, "coordinate": "gaode"}
    )
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {
            "location": f"{b_lat:.6f},{b_lng:.6f}",
            "title": name,
            "content": name,
            "output": "html",
            "coord_type": "bd09ll",
            "src": "webapp.jinzhong.dangjian",
        }
    )
    tencent = "https://apis.map.qq.com/uri/v1/marker?" + urlencode(
        {"marker": f"coord:{g_lat:.6f},{g_lng:.6f};title:{name}", "referer": "jinzhong-dangjian"}
    )
    return [
        ("amap", _("Amap"), amap),
        ("baidu", _("Baidu Maps"), baidu),
        ("tencent", _("Tencent Maps"), tencent),
    ]
