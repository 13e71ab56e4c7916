import datetime

import pytest

from config.reports.workbook import display_width, mask_id_number, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+86 351", "-2", "@SUM(A1)", "\tx", "\rx", "\0x"])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["局机关支部", "a=b", "", 5, -5, 1.5, None, datetime.date(2024, 1, 1)]
)
def test_other_values_are_written_unchanged(value):
    assert neutralise(value) == value


def test_an_id_number_keeps_its_first_and_last_four_characters():
    assert mask_id_number("14070219500304123X") == "1407**********123X"


def test_a_short_id_number_is_masked_whole():
    assert mask_id_number("1234") == "****"
    assert mask_id_number("") == ""


def test_chinese_characters_count_double_in_a_column_width():
    assert display_width("党组织") == 6
    assert display_width("abc") == 3
    assert display_width("党员a") == 5
    assert display_width(1234567) == len("1,234,567")
    assert display_width(datetime.date(2024, 1, 1)) == 10
