"""The spreadsheet widgets every import uses: one blank rule, one message style, choices read
from the Chinese label or the code and written as the label."""

import datetime

import pytest

from core.widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    MultipleChoiceWidget,
    TextWidget,
    YesNoWidget,
    is_blank,
)
from members.models import Member

# Labels that the portal's catalogues translate, so the widget must find them in Chinese.
Category = Member.Category


BLANKS = [None, "", "   ", "\t\n"]


@pytest.mark.parametrize("value", BLANKS)
def test_none_empty_and_whitespace_are_blank(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "否"])
def test_zero_and_no_are_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize("value", BLANKS)
def test_every_widget_reads_a_blank_cell_the_same_way(value):
    assert TextWidget().clean(value) == ""
    assert DateWidget().clean(value) is None
    assert IntegerWidget().clean(value) is None
    assert YesNoWidget().clean(value) is False
    assert MultipleChoiceWidget(Category.choices).clean(value) == []
    assert ChoiceWidget(Category.choices, blank=True).clean(value) == ""


def test_a_required_choice_refuses_a_blank_cell_naming_the_choices():
    with pytest.raises(ValueError, match="不是可选值之一") as error:
        ChoiceWidget(Category.choices).clean("  ")
    assert "正式党员" in str(error.value) and "预备党员" in str(error.value)


@pytest.mark.parametrize("cell", ["正式党员", "full", " FULL ", "full member", "正式"])
def test_a_choice_is_read_from_its_chinese_label_code_english_label_or_alias(cell):
    widget = ChoiceWidget(Category.choices, {Category.FULL: ["正式"]})
    assert widget.clean(cell) == Category.FULL


def test_a_choice_is_exported_as_its_chinese_label():
    assert ChoiceWidget(Category.choices).render(Category.PROBATIONARY) == "预备党员"


def test_an_unknown_choice_names_the_value_and_the_choices_in_chinese():
    with pytest.raises(ValueError) as error:
        ChoiceWidget(Category.choices).clean("群众")
    assert str(error.value) == "“群众”不是可选值之一：正式党员、预备党员。"


def test_several_choices_in_one_cell_are_read_with_any_separator_and_written_with_a_dunhao():
    widget = MultipleChoiceWidget(Category.choices)
    assert widget.clean("正式党员，probationary") == [Category.FULL, Category.PROBATIONARY]
    assert widget.render([Category.FULL, Category.PROBATIONARY]) == "正式党员、预备党员"
    with pytest.raises(ValueError, match="“群众”不是可选值之一"):
        widget.clean("正式党员、群众")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("是", True), ("否", False), ("1", True), ("0", False), (True, True), ("TRUE", True)],
)
def test_yes_and_no(cell, expected):
    assert YesNoWidget().clean(cell) is expected


def test_a_bad_yes_no_uses_the_choice_message():
    with pytest.raises(ValueError) as error:
        YesNoWidget().clean("也许")
    assert str(error.value) == "“也许”不是可选值之一：是、否。"
    assert YesNoWidget().render(True) == "是"


@pytest.mark.parametrize(
    "cell",
    [
        "2024-07-01",
        "2024.7.1",
        "2024年7月1日",
        " 2024 / 07 / 01 ",
        "2024/7/1",
        "2024年7月1号",
        "20240701",
        "２０２４．７．１",
        # A month alone is its first day, as rosters write 入党时间.
        "2024.7",
        "2024.07",
        "2024年7月",
        "2024-07",
        "202407",
        2024.07,
        datetime.datetime(2024, 7, 1, 0, 0),
        datetime.date(2024, 7, 1),
    ],
)
def test_dates_as_the_bureau_writes_them(cell):
    assert DateWidget().clean(cell) == datetime.date(2024, 7, 1)


@pytest.mark.parametrize("cell", ["昨天", "2024-02-30", "7/1/2024", "2024", "2024.13", "2024年0月"])
def test_a_bad_date_names_the_value_and_the_accepted_forms(cell):
    with pytest.raises(ValueError) as error:
        DateWidget().clean(cell)
    assert str(error.value).startswith(f"“{cell}”不是有效日期")
    assert "2024年7月1日" in str(error.value)


def test_a_month_typed_as_a_number_that_could_be_january_or_october_is_refused():
    # 2024.10 in a number cell is the float 2024.1; the text 2024.1 is plainly January.
    with pytest.raises(ValueError, match="无法区分 1 月和 10 月"):
        DateWidget().clean(2024.10)
    assert DateWidget().clean("2024.1") == datetime.date(2024, 1, 1)
    assert DateWidget().clean(2024.11) == datetime.date(2024, 11, 1)


def test_choices_are_found_whatever_the_spaces_and_full_width_letters():
    widget = ChoiceWidget(Category.choices, {Category.FULL: ["正式"]})
    assert widget.clean(" 正 式 党 员 ") == Category.FULL
    assert widget.clean("ＦＵＬＬ") == Category.FULL


@pytest.mark.parametrize(("cell", "expected"), [("12", 12), (" 12 ", 12), (12.0, 12), (7, 7)])
def test_whole_numbers(cell, expected):
    assert IntegerWidget().clean(cell) == expected


@pytest.mark.parametrize("cell", ["很多", "3.5", 3.5, "1e999999", "NaN", True])
def test_anything_else_is_not_a_whole_number(cell):
    with pytest.raises(ValueError, match="不是整数"):
        IntegerWidget().clean(cell)


def test_text_keeps_a_phone_typed_into_a_number_cell_whole():
    assert TextWidget().clean(13912345678.0) == "13912345678"
    assert TextWidget().clean("  王老  ") == "王老"
