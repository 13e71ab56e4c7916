import pytest
from django.utils import translation

from core.templatetags.portal_figures import chinese_figure, statistic


@pytest.mark.parametrize(
    ("n", "unit", "written"),
    [
        (21, "个", "21个"),
        (1000, "名", "1000名"),
        (1037, "名", "1000余名"),
        (236, "名", "230余名"),
        (250000, "人次", "25万人次"),
        (253400, "人次", "25万余人次"),
        (185000, "人次", "18万余人次"),
        (22000, "人次", "2.2万人次"),
        (0, "个", "0个"),
    ],
)
def test_figures_are_written_as_chinese_statistics_write_them(n, unit, written):
    assert chinese_figure(n, unit) == written


def test_english_pages_floor_the_same_way_with_a_plus():
    with translation.override("en"):
        assert statistic(1037, "名") == "1,000+"
        assert statistic(250000, "人次") == "250,000"
    with translation.override("zh-hans"):
        assert statistic(1037, "名") == "1000余名"
