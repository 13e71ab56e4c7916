"""Spreadsheet cells in and out, for every app's `resources.py` (django-import-export).

One blank rule: a cell that is None, empty or only whitespace is blank (`is_blank`). One message
style for a bad cell: Chinese, quoting the value and saying what would be accepted. Choices are
written as their Chinese labels and read back from the label, the code or an alias. App widgets
(organisations, bases, donors, wars, ID numbers) build on these.

Every app's resource is a `PortalResource`: each exported cell goes through
`core.workbook.neutralise` (no formulas, no control characters), and an imported cell carrying a
control character is that row's error.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets

from core.validators import validate_no_control_characters
from core.workbook import neutralise

MESSAGE_NOT_A_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
MESSAGE_NOT_A_DATE = _(
    "“%(value)s” is not a date; write it as 2024-07-01, 2024.7.1 or 2024年7月1日."
)
MESSAGE_AMBIGUOUS_MONTH = _(
    "“%(value)s” was typed as a number, so January and October look alike; write the date as "
    "text, such as 2024-10 or 2024年10月."
)
MESSAGE_NOT_A_NUMBER = _("“%(value)s” is not a whole number.")

# 2024-07-01, 2024.7.1, 2024/7/1, 2024年7月1日 (or 号), 20240701; a month alone (2024.7, 2024年7月,
# 2024-07, 202407) is its first day, as rosters write 入党时间.
DATE_PATTERN = re.compile(
    r"^(\d{4})(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})[日号]?|月)?|(\d{2})(\d{2})?)$"
)
CHOICE_SEPARATOR = "、"


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def choice_key(value):
    """How a choice is looked up: full-width letters, digits and brackets as half-width, no spaces,
    any case (“ 汉 族 ”, “ＦＵＬＬ” and “full” are one key each)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text_of(value))).lower()


def chinese(label):
    with translation.override("zh-hans"):
        return str(label)


def english(label):
    with translation.override("en"):
        return str(label)


def text_of(value):
    """A cell as text: stripped, and a whole number typed into a number cell without its “.0”."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    """Free text; a blank cell is the empty string."""

    def clean(self, value, row=None, **kwargs):
        return text_of(value)


class ChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (as in the bureau's sheets), its English label, its
    code or an alias, in any case; exported as the Chinese label. A blank cell is `empty` when
    the field may be blank, otherwise refused."""

    def __init__(self, choices, aliases=None, *, blank=False, empty="", **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.blank = blank
        self.empty = empty
        self._labels = None
        self.lookup = {}
        for value, label in self.choices:
            for key in (value, chinese(label), english(label), *(aliases or {}).get(value, [])):
                self.lookup.setdefault(choice_key(key), value)

    def refuse(self, value):
        labels = CHOICE_SEPARATOR.join(chinese(label) for _value, label in self.choices)
        return ValueError(MESSAGE_NOT_A_CHOICE % {"value": text_of(value), "choices": labels})

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            if self.blank:
                return self.empty
            raise self.refuse(value)
        try:
            return self.lookup[choice_key(value)]
        except KeyError:
            raise self.refuse(value) from None

    def render(self, value, obj=None, **kwargs):
        # Called for every cell of an import's preview: the labels are translated once.
        if self._labels is None:
            self._labels = {value: chinese(label) for value, label in self.choices}
        return self._labels.get(value, "" if value is None else str(value))


class MultipleChoiceWidget(ChoiceWidget):
    """Several choices in one cell, separated by 、 , ， ; or ；, exported joined by 、."""

    SEPARATORS = re.compile(r"[、,，;；]")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return []
        parts = (part for part in self.SEPARATORS.split(text_of(value)) if part.strip())
        return [ChoiceWidget.clean(self, part, row, **kwargs) for part in parts]

    def render(self, value, obj=None, **kwargs):
        return CHOICE_SEPARATOR.join(ChoiceWidget.render(self, code) for code in value or [])


class YesNoWidget(ChoiceWidget):
    """是 or 否 (also 1/0, true/false); a blank cell is 否."""

    def __init__(self, **kwargs):
        super().__init__(
            [(True, "是"), (False, "否")],
            {True: ["1", "true", "yes"], False: ["0", "false", "no"]},
            blank=True,
            empty=False,
            **kwargs,
        )

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return super().render(bool(value))


class DateWidget(widgets.DateWidget):
    """Excel date cells, or text as the bureau writes dates: 2024-07-01, 2024.7.1, 2024/7/1,
    2024年7月1日, 20240701, and a month alone (2024.7, 2024年7月) as its first day. Exported as
    a date cell (or 2024-07-01 in text formats)."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text_of(value)))
        # 2024.10 typed into a number cell arrives as 2024.1.
        if isinstance(value, float) and re.fullmatch(r"\d{4}\.1", text):
            raise ValueError(MESSAGE_AMBIGUOUS_MONTH % {"value": text})
        match = DATE_PATTERN.match(text)
        if match:
            year, month, day, compact_month, compact_day = match.groups()
            try:
                return datetime.date(
                    int(year), int(month or compact_month), int(day or compact_day or 1)
                )
            except (TypeError, ValueError):
                pass
        raise ValueError(MESSAGE_NOT_A_DATE % {"value": text_of(value)})


class IntegerWidget(widgets.IntegerWidget):
    """A whole number, from a number cell or text; 3.5 or 很多 is refused."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(MESSAGE_NOT_A_NUMBER % {"value": value})
        try:
            number = Decimal(text_of(value))
        except InvalidOperation:
            raise ValueError(MESSAGE_NOT_A_NUMBER % {"value": text_of(value)}) from None
        # Decimal("1e999999") is finite but would take long to turn into an int (GHSA-fcgw-hjjv-4rh6).
        if not number.is_finite() or number != number.to_integral_value() or number.adjusted() > 18:
            raise ValueError(MESSAGE_NOT_A_NUMBER % {"value": text_of(value)})
        return int(number)


class PortalResource(resources.ModelResource):
    """The base of every app's resource: cells neutralised on export, control characters refused
    on import (a stored \\x07 once broke every later export)."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            validate_no_control_characters(row.get(field.column_name))
        except ValidationError as error:
            # Resource.import_instance turns a ValueError into this column's error of the row.
            raise ValueError(error.messages[0]) from None
        super().import_field(field, instance, row, is_m2m, **kwargs)
