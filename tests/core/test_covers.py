from xml.etree import ElementTree

from core.covers import cover_data_uri, cover_svg


def test_a_cover_is_valid_svg_naming_the_thing():
    svg = cover_svg("左权将军纪念馆", "左权县", "independent", "anti_japanese")
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "左" in texts and "左权将军纪念馆" in texts and "左权县" in texts


def test_covers_differ_by_category_and_by_era():
    medal = cover_svg("军功章", "勋章奖章", "medal", "korea")
    letter = cover_svg("军功章", "勋章奖章", "letter", "korea")
    other_war = cover_svg("军功章", "勋章奖章", "medal", "liberation")
    assert len({medal, letter, other_war}) == 3
    background = 'fill="'
    assert medal.split(background)[1][:7] != letter.split(background)[1][:7]


def test_names_are_escaped_and_the_uri_is_an_svg_data_uri():
    svg = cover_svg('<script>&"', "", "", "")
    assert "<script>" not in svg
    assert cover_data_uri("名", "", "", "").startswith("data:image/svg+xml")
