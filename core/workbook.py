"""Streaming workbook helpers: every cell of the yearly report is written through this module.

XlsxWriter's `constant_memory` mode keeps memory flat (each row is flushed to a temporary file
as soon as the next one starts, and the sheets are zipped at `close`), so rows must be written
in order. Small sheets are tables buffered in memory (their widths are measured from their
content); the long rows are streamed with widths fixed in advance.

Text always goes in as text (`write_string`, and the workbook's string-to-formula and
string-to-URL conversions are off), after `neutralise()`: nothing a user typed becomes a formula.
"""

import datetime
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

# Refused in forms and imports; a row stored before that (or by a path that skips them) must not
# fail every later export (openpyxl raises IllegalCharacterError): they are dropped on the way out.
from core.validators import CONTROL_CHARACTERS

# OWASP ASVS 5.2: a text cell starting with one of these is taken as a formula (or DDE) by
# spreadsheet programs; a leading apostrophe makes it plain text again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
# Spreadsheet programs skip these before looking for a trigger: " =1" and "\n=1" are formulas too.
FORMULA_LEADING = " \n"

INTEGER = "#,##0"
MONEY = "#,##0.00"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"

# Column kinds of `SheetWriter.row_writer`.
TEXT, NUMBER, DAY = "text", "number", "day"
# Excel's serial day 0 (1899-12-30, counting Lotus 1-2-3's 1900-02-29), as a proleptic ordinal:
# a date from 1900-03-01 on is `date.toordinal() - EXCEL_EPOCH` days.
EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()
EXCEL_SERIAL_FROM = datetime.date(1900, 3, 1)

MAX_WIDTH = 60
# Column kinds a totals row adds up.
SUMMED = ("int", "money")
_BORDER_COLOUR = "#999999"
_HEADER_FILL = "#F2DCDB"
_TOTAL_FILL = "#F2F2F2"
# Chart sizes in pixels (18 × 8 cm at 96 dpi).
CHART_SIZE = {"width": 680, "height": 302}


def neutralise(value):
    """The value a cell receives: control characters a workbook cannot hold are dropped, and
    text that a spreadsheet would run as a formula (after any leading spaces or line feeds)
    gets a `'`."""
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    if value.lstrip(FORMULA_LEADING).startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def mask_phone(phone):
    """`13800001234` → `138****1234`: enough for its owner to recognise, no more; a number of
    seven characters or fewer is masked whole."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number):
    """`140702195003041234` → `1407**********1234`: the first and last four characters stay."""
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def display_width(value):
    """Columns a value needs: wide (CJK) characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, float | Decimal):
        value = f"{value:,.2f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Column:
    """A table column: its Chinese header, the kind of value it holds, and an optional width."""

    header: str
    kind: str = "text"  # text, int, money, price (money not summed), date or percent
    width: int | None = None

    @property
    def number_format(self):
        formats = {"int": INTEGER, "money": MONEY, "price": MONEY, "date": DATE, "percent": PERCENT}
        return formats.get(self.kind)


class ReportWorkbook:
    """A constant-memory workbook at `path` whose sheets are stacks of titled tables.

    Use it as a context manager: the file is written when the block ends without an error;
    after an error nothing is written and the temporary row files are removed.
    """

    def __init__(self, path):
        self._tmpdir = tempfile.mkdtemp(prefix="report-")
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "tmpdir": self._tmpdir,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": DATE,
            },
        )
        self._formats = {}

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.book.close()
        finally:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        return False

    def set_properties(self, *, title, author, created):
        self.book.set_properties({"title": title, "author": author, "created": created})

    def format(
        self,
        *,
        bold=False,
        italic=False,
        size=None,
        colour=None,
        fill=None,
        number_format=None,
        border=False,
    ):
        """One shared Format per combination (XlsxWriter formats are workbook-wide objects)."""
        key = (bold, italic, size, colour, fill, number_format, border)
        found = self._formats.get(key)
        if found is None:
            properties = {}
            if bold:
                properties["bold"] = True
            if italic:
                properties["italic"] = True
            if size:
                properties["font_size"] = size
            if colour:
                properties["font_color"] = colour
            if fill:
                properties["bg_color"] = fill
                properties["pattern"] = 1
            if number_format:
                properties["num_format"] = number_format
            if border:
                properties["border"] = 1
                properties["border_color"] = _BORDER_COLOUR
            found = self._formats[key] = self.book.add_format(properties)
        return found

    def sheet(self, title, *, widths, freeze="A3", title_rows="1:2"):
        """A new sheet; `widths` (one per column) are known before any row is written."""
        ws = self.book.add_worksheet(title)
        for index, width in enumerate(widths):
            ws.set_column(index, index, min(width, MAX_WIDTH))
        if freeze:
            ws.freeze_panes(freeze)
        if title_rows:
            first, _sep, last = title_rows.partition(":")
            ws.repeat_rows(int(first) - 1, int(last or first) - 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        return SheetWriter(self, ws)


class SheetWriter:
    """Writes rows in order into a constant-memory sheet; `row` is the last row written (1-based)."""

    def __init__(self, book, ws):
        self.book = book
        self.ws = ws
        self.row = 0
        self._date = book.format(number_format=DATE)

    @property
    def name(self):
        return self.ws.get_name()

    def _write(self, col, value, cell_format=None, date_format=None):
        """One cell of the current row (0-based `self.row`), typed explicitly."""
        ws, row = self.ws, self.row
        if value is None or value == "":
            if cell_format is not None:
                ws.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            ws.write_string(row, col, neutralise(value), cell_format)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, cell_format)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, cell_format)
        elif isinstance(value, Decimal):
            ws.write_number(row, col, float(value), cell_format)
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, value, date_format or self._date)
        else:
            ws.write_string(row, col, neutralise(str(value)), cell_format)

    def append(self, values):
        """A row of plain values (neutralised, no styling): the fast path for long sheets.

        `write_row` types each value itself; with the workbook's conversions off a string is
        always written as a string, and a date gets the workbook's default date format.
        """
        self.ws.write_row(self.row, 0, [neutralise(value) for value in values])
        self.row += 1

    def row_writer(self, kinds):
        """A function that appends one row whose column types are known in advance: the fast
        path for the long sheet of visit rows, where `write_row`'s per-value type dispatch and
        XlsxWriter's date conversion are most of the cost.

        `kinds`: one of TEXT, NUMBER or DAY per column. Text is neutralised; a day (a date) from
        1900-03-01 on is written as its Excel serial number with the date format, which is what
        `write_datetime` writes; an earlier date or a datetime goes through `write_datetime`
        itself. None or "" leaves the cell empty.
        """
        unknown = set(kinds) - {TEXT, NUMBER, DAY}
        if unknown:
            raise ValueError(f"Unknown column kinds: {sorted(unknown)}")
        ws, date_format = self.ws, self._date
        write_string, write_number = ws.write_string, ws.write_number
        columns = list(enumerate(kinds))

        def write(values):
            row = self.row
            for (col, kind), value in zip(columns, values, strict=True):
                if value is None or value == "":
                    continue
                if kind == TEXT:
                    write_string(row, col, neutralise(str(value)))
                elif kind == DAY:
                    if type(value) is datetime.date and value >= EXCEL_SERIAL_FROM:
                        write_number(row, col, value.toordinal() - EXCEL_EPOCH, date_format)
                    else:
                        ws.write_datetime(row, col, value, date_format)
                else:
                    write_number(row, col, value)
            self.row += 1

        return write

    def title(self, text):
        self._write(0, text, self.book.format(bold=True, size=14))
        self.row += 1

    def note(self, text):
        self._write(0, text, self.book.format(italic=True, colour="#666666"))
        self.row += 1

    def blank(self):
        self.row += 1

    def header(self, columns):
        cell_format = self.book.format(bold=True, fill=_HEADER_FILL, border=True)
        for col, column in enumerate(columns):
            self._write(col, column.header, cell_format)
        self.row += 1
        return self.row

    def _cells(self, columns, values, **style):
        book = self.book
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            number_format = column.number_format
            if not isinstance(value, int | float | Decimal | datetime.date):
                number_format = None
            elif isinstance(value, datetime.date) and number_format is None:
                number_format = DATE
            elif isinstance(value, float | Decimal) and number_format == INTEGER:
                number_format = MONEY
            cell_format = book.format(border=True, number_format=number_format, **style)
            self._write(col, value, cell_format, cell_format)
        self.row += 1

    def table(self, columns, rows, *, caption=None, totals_label=None):
        """A caption, a header row, the rows and, if `totals_label`, a row of column sums.

        Returns (first data row, last data row, totals row or None), 1-based, for charts.
        """
        if caption:
            self.note(caption)
        self.header(columns)
        first = self.row + 1
        sums = [0] * len(columns)
        for values in rows:
            for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                if column.kind in SUMMED and isinstance(value, int | float | Decimal):
                    sums[index] += value
            self._cells(columns, values)
        last = self.row
        totals_row = None
        if totals_label is not None:
            totals = [
                totals_label if index == 0 else sums[index] if column.kind in SUMMED else None
                for index, column in enumerate(columns)
            ]
            self._cells(columns, totals, bold=True, fill=_TOTAL_FILL)
            totals_row = self.row
        return first, last, totals_row

    def chart(self, kind, *, title, y_title, column, first, last, anchor):
        """A native chart of one column's rows `first`–`last` (1-based, the header just above),
        categories from column A; `kind` is "column" or "line"."""
        chart = self.book.book.add_chart({"type": kind})
        name = self.name
        chart.add_series(
            {
                "name": [name, first - 2, column - 1],
                "categories": [name, first - 1, 0, last - 1, 0],
                "values": [name, first - 1, column - 1, last - 1, column - 1],
            }
        )
        chart.set_title({"name": title})
        chart.set_y_axis({"name": y_title})
        chart.set_legend({"none": True})
        chart.set_size(CHART_SIZE)
        self.ws.insert_chart(anchor, chart)
        return chart


def fitted_widths(tables, minimum=6):
    """Column widths fitting every (columns, rows) table given, measured in display columns."""
    widths = []
    for columns, rows in tables:
        for index, column in enumerate(columns):
            needed = column.width or max(
                [display_width(column.header)] + [display_width(row[index]) for row in rows]
            )
            if index >= len(widths):
                widths.append(minimum)
            widths[index] = max(widths[index], needed + 2)
    return widths
