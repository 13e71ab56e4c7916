from xml.etree import ElementTree

from core.covers import cover_data_uri, cover_svg


def test_a_cover_is_valid_svg_naming_the_thing():
    svg = cover_svg("左权将军纪念馆", "左权县", "independent", "anti_japanese")
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "左" in texts and "左权将军纪念馆" in texts and "左权县" in texts


def background_of(svg):
    return svg.split('<rect width="400" height="400" fill="')[1][:7]


def test_covers_differ_by_category_and_by_era():
    medal = cover_svg("军功章", "勋章奖章", "medal", "korea", square=True)
    letter = cover_svg("军功章", "勋章奖章", "letter", "korea", square=True)
    other_war = cover_svg("军功章", "勋章奖章", "medal", "liberation", square=True)
    assert len({medal, letter, other_war}) == 3
    categories = ["medal", "letter", "uniform", "weapon", "photo", "document", "memoir", "other"]
    backgrounds = {background_of(cover_svg("军功章", "", c, "", square=True)) for c in categories}
    assert len(backgrounds) >= 4


def test_a_row_of_same_kind_cards_is_not_a_wall_of_one_colour():
    names = [
        "太谷区红色家书陈列馆",
        "寿阳县抗美援朝老战士事迹馆",
        "平遥县古城红色交通站纪念馆",
        "左权将军纪念馆",
    ]
    backgrounds = {
        background_of(cover_svg(n, "", "independent", "independent", square=True)) for n in names
    }
    assert len(backgrounds) >= 3


def test_names_are_escaped_and_the_uri_is_an_svg_data_uri():
    svg = cover_svg('<script>&"', "", "", "")
    assert "<script>" not in svg
    assert cover_data_uri("名", "", "", "").startswith("data:image/svg+xml")
