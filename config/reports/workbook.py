"""Streaming workbook helpers: every cell of the yearly report is written through this module.

openpyxl's write-only mode keeps memory flat (each sheet streams to a temporary file and is
zipped at `save`), so rows must be written in order and column widths, frozen panes and print
titles set before the first row. Small sheets are tables buffered in memory (their widths are
measured from their content); the visit rows are streamed with widths fixed in advance.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

# OWASP ASVS 5.2: a text cell starting with one of these is taken as a formula (or DDE) by
# spreadsheet programs; a leading apostrophe makes it plain text again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")

INTEGER = "#,##0"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"

MAX_WIDTH = 60
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def neutralise(value):
    """The value a cell receives: text that a spreadsheet would run as a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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
    if isinstance(value, float):
        value = f"{value:,.1f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Column:
    """A table column: its Chinese header, the kind of value it holds, and an optional width."""

    header: str
    kind: str = "text"  # text, int, date or percent
    width: int | None = None

    @property
    def number_format(self):
        return {"int": INTEGER, "date": DATE, "percent": PERCENT}.get(self.kind)


class ReportWorkbook:
    """A write-only workbook whose sheets are stacks of titled tables."""

    def __init__(self):
        self.book = Workbook(write_only=True)

    def save(self, path):
        self.book.save(path)

    def sheet(self, title, *, widths, freeze="A3", title_rows="1:2"):
        """A new sheet; `widths` (one per column) must be known before any row is written."""
        ws = self.book.create_sheet(title=title)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
        if freeze:
            ws.freeze_panes = freeze
        if title_rows:
            ws.print_title_rows = title_rows
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return SheetWriter(ws)


class SheetWriter:
    """Writes rows in order into a write-only sheet, and remembers the row number it is at."""

    def __init__(self, ws):
        self.ws = ws
        self.row = 0

    def _cell(self, value, *, bold=False, fill=None, number_format=None, border=True):
        cell = WriteOnlyCell(self.ws, value=neutralise(value))
        if bold:
            cell.font = Font(bold=True)
        if fill is not None:
            cell.fill = fill
        if border:
            cell.border = _BORDER
        if number_format and isinstance(value, int | float | datetime.date):
            cell.number_format = number_format
        return cell

    def append(self, values):
        """A row of plain values (neutralised, no styling): the fast path for long sheets."""
        self.ws.append([neutralise(value) for value in values])
        self.row += 1

    def title(self, text):
        cell = WriteOnlyCell(self.ws, value=neutralise(text))
        cell.font = Font(bold=True, size=14)
        self.ws.append([cell])
        self.row += 1

    def note(self, text):
        cell = WriteOnlyCell(self.ws, value=neutralise(text))
        cell.font = Font(italic=True, color="666666")
        cell.alignment = Alignment(wrap_text=False)
        self.ws.append([cell])
        self.row += 1

    def blank(self):
        self.ws.append([])
        self.row += 1

    def header(self, columns):
        self.ws.append(
            [self._cell(column.header, bold=True, fill=_HEADER_FILL) for column in columns]
        )
        self.row += 1
        return self.row

    def table(self, columns, rows, *, caption=None, totals_label=None):
        """A caption, a header row, the rows and, if `totals_label`, a row of column sums.

        Returns (first data row, last data row, totals row or None) for charts to reference.
        """
        if caption:
            self.note(caption)
        self.header(columns)
        first = self.row + 1
        sums = [0] * len(columns)
        for values in rows:
            cells = []
            for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                if column.kind in ("int",) and isinstance(value, int | float):
                    sums[index] += value
                cells.append(self._cell(value, number_format=column.number_format))
            self.ws.append(cells)
            self.row += 1
        last = self.row
        totals_row = None
        if totals_label is not None:
            cells = []
            for index, column in enumerate(columns):
                if index == 0:
                    value = totals_label
                elif column.kind == "int":
                    value = sums[index]
                else:
                    value = None
                cells.append(
                    self._cell(
                        value, bold=True, fill=_TOTAL_FILL, number_format=column.number_format
                    )
                )
            self.ws.append(cells)
            self.row += 1
            totals_row = self.row
        return first, last, totals_row


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
