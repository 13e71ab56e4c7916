import datetime
import tempfile

import pytest
from openpyxl import load_workbook

from core.workbook import (
    DATE,
    DAY,
    INTEGER,
    NUMBER,
    TEXT,
    Column,
    ReportWorkbook,
    display_width,
    mask_id_number,
    mask_phone,
    neutralise,
)


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+86 351", "-2", "@SUM(A1)", "\tx", "\rx", " =1+1", "   @SUM(A1)", "\n=1", " \n -2"],
)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    ("text", "cell"),
    [("响铃\x07", "响铃"), ("\x1b[31m红", "[31m红"), ("\0=1", "'=1"), ("a\x0bb\x0cc\x1fd", "abcd")],
)
def test_control_characters_a_workbook_cannot_hold_are_dropped(text, cell):
    assert neutralise(text) == cell


def test_tab_line_feed_and_carriage_return_inside_text_are_kept():
    assert neutralise("第一行\r\n第二行\t完") == "第一行\r\n第二行\t完"


@pytest.mark.parametrize(
    "value", ["局机关支部", "a=b", "", 5, -5, 1.5, None, datetime.date(2024, 1, 1)]
)
def test_other_values_are_written_unchanged(value):
    assert neutralise(value) == value


def test_an_id_number_keeps_its_first_and_last_four_characters():
    assert mask_id_number("14070219500304123X") == "1407**********123X"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13912345678", "139****5678"),
        ("03543331234", "035****1234"),
        ("3331234", "*******"),
        ("", ""),
    ],
)
def test_a_phone_keeps_its_first_three_and_last_four_digits_unless_it_is_short(phone, masked):
    # Seven digits or fewer would be shown whole by "first three, last four".
    assert mask_phone(phone) == masked


def test_a_short_id_number_is_masked_whole():
    assert mask_id_number("1234") == "****"
    assert mask_id_number("") == ""


def test_chinese_characters_count_double_in_a_column_width():
    assert display_width("党组织") == 6
    assert display_width("abc") == 3
    assert display_width("党员a") == 5
    assert display_width(1234567) == len("1,234,567")
    assert display_width(datetime.date(2024, 1, 1)) == 10


def test_text_in_a_table_stays_text_and_dates_keep_their_format(tmp_path):
    path = tmp_path / "t.xlsx"
    with ReportWorkbook(path) as book:
        sheet = book.sheet("表", widths=[12, 12, 12])
        sheet.table(
            [Column("名称"), Column("日期", "date"), Column("人数", "int")],
            [("=1+1", datetime.date(2024, 5, 1), 3), ("http://x.example", None, 4)],
            totals_label="合计",
        )
        sheet.append(["+86 351", datetime.date(2024, 6, 1), 7])
    ws = load_workbook(path)["表"]
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"
    assert ws["A3"].value == "http://x.example" and ws["A3"].hyperlink is None
    assert ws["B2"].value == datetime.datetime(2024, 5, 1) and ws["B2"].number_format == DATE
    assert ws["A4"].value == "合计" and ws["A4"].font.b
    assert ws["C4"].value == 7 and ws["C4"].number_format == INTEGER
    assert ws["A5"].value == "'+86 351"
    assert ws["B5"].number_format == DATE


def test_the_typed_row_writer_writes_what_write_row_would(tmp_path):
    days = [
        datetime.date(1899, 6, 1),
        datetime.date(1900, 1, 1),
        datetime.date(1900, 3, 1),
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 5, 4, 9, 30),
        datetime.date(2099, 12, 31),
    ]
    rows = [(day, "=HYPERLINK(1)", 7) for day in days] + [(None, "", None)]
    path = tmp_path / "t.xlsx"
    with ReportWorkbook(path) as book:
        typed = book.sheet("typed", widths=[12, 12, 12])
        write = typed.row_writer((DAY, TEXT, NUMBER))
        plain = book.sheet("plain", widths=[12, 12, 12])
        for row in rows:
            write(row)
            plain.append(row)
    book = load_workbook(path)
    assert list(book["typed"].iter_rows(values_only=True)) == list(
        book["plain"].iter_rows(values_only=True)
    )
    read = list(book["typed"].iter_rows(values_only=True))
    assert read[3] == (datetime.datetime(2024, 2, 29), "'=HYPERLINK(1)", 7)
    assert read[4][0] == datetime.datetime(2024, 5, 4, 9, 30)
    assert book["typed"]["A4"].number_format == DATE and book["typed"]["B4"].data_type == "s"


def test_the_typed_row_writer_refuses_an_unknown_column_kind(tmp_path):
    with ReportWorkbook(tmp_path / "t.xlsx") as book, pytest.raises(ValueError, match="date"):
        book.sheet("表", widths=[12]).row_writer(("date",))


def test_a_failed_build_writes_no_file_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = tmp_path / "broken.xlsx"
    with pytest.raises(RuntimeError), ReportWorkbook(path) as book:
        book.sheet("表", widths=[10]).append(["一行"])
        raise RuntimeError("a selector failed")
    assert not path.exists()
    assert list(scratch.iterdir()) == []
