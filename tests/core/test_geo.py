"""core.geo against reference points published by other implementations (eviltransform's test
suite and geotool's), so the formulas are checked, not echoed."""

from urllib.parse import parse_qs, urlparse

import pytest

from core.geo import map_links, wgs84_to_bd09, wgs84_to_gcj02

# wgs lat, wgs lng, gcj lat, gcj lng (googollee/eviltransform's tests)
GCJ_REFERENCE = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("lat", "lng", "gcj_lat", "gcj_lng"), GCJ_REFERENCE)
def test_wgs84_to_gcj02_matches_reference_points(lat, lng, gcj_lat, gcj_lng):
    got_lat, got_lng = wgs84_to_gcj02(lat, lng)
    assert got_lat == pytest.approx(gcj_lat, abs=1e-7)
    assert got_lng == pytest.approx(gcj_lng, abs=1e-7)


def test_wgs84_to_bd09_matches_reference_point():
    # geotool's test point near Jiaxing: WGS-84 → GCJ-02 → BD-09
    lat, lng = wgs84_to_gcj02(30.6107779, 121.0917077)
    assert (lat, lng) == pytest.approx((30.608604331756705, 121.09626935575027), abs=1e-7)
    assert wgs84_to_bd09(30.6107779, 121.0917077) == pytest.approx(
        (30.61484572185035, 121.10271732371203), abs=1e-7
    )


def test_points_outside_china_are_not_shifted():
    assert wgs84_to_gcj02(48.8584, 2.2945) == (48.8584, 2.2945)


def test_a_jinzhong_point_moves_a_few_hundred_metres():
    lat, lng = wgs84_to_gcj02(37.687, 112.752)  # 榆次
    assert 0.0005 < abs(lat - 37.687) + abs(lng - 112.752) < 0.01


def test_map_links_carry_the_converted_coordinates():
    links = {key: url for key, _label, url in map_links(lat=37.687, lng=112.752, name="纪念馆")}
    gcj_lat, gcj_lng = wgs84_to_gcj02(37.687, 112.752)
    bd_lat, bd_lng = wgs84_to_bd09(37.687, 112.752)
    amap = parse_qs(urlparse(links["amap"]).query)
    assert amap["position"] == [f"{gcj_lng:.6f},{gcj_lat:.6f}"]
    baidu = parse_qs(urlparse(links["baidu"]).query)
    assert baidu["location"] == [f"{bd_lat:.6f},{bd_lng:.6f}"]
    assert baidu["coord_type"] == ["bd09ll"]
    tencent = parse_qs(urlparse(links["tencent"]).query)
    assert tencent["marker"] == [f"coord:{gcj_lat:.6f},{gcj_lng:.6f};title:纪念馆"]
