"""Spreadsheet formats an import accepts: the library's own, and Excel 97–2003 (`.xls`).

Many branches still keep their rosters as `.xls`. tablib's xls format needs xlwt as well as xlrd
(xlwt is unmaintained), so `.xls` is read here with xlrd alone: import only, exports stay `.xlsx`.
Date cells become dates and empty cells None, as the `.xlsx` reader gives them, so that every
widget of core/widgets.py reads both the same way.
"""

import tablib
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

MESSAGE_NOT_AN_XLS = _(
    "This file is not an Excel 97–2003 workbook (.xls); save it again as .xls or .xlsx."
)


class UnreadableFile(ValueError):
    """A file our reader refuses; its message is fixed text, safe to show."""


class XLS(base_formats.Format):
    """The first sheet of an `.xls` workbook; its first row is the headers."""

    CONTENT_TYPE = "application/vnd.ms-excel"

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return "xls"

    def get_extension(self):
        return "xls"

    def get_content_type(self):
        return self.CONTENT_TYPE

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        import xlrd

        try:
            # The format caps a sheet at 65,536 rows and 256 columns: no dimension bomb to bound.
            book = xlrd.open_workbook(file_contents=in_stream, on_demand=True)
        except xlrd.XLRDError as error:
            raise UnreadableFile(gettext(MESSAGE_NOT_AN_XLS)) from error
        sheet = book.sheet_by_index(0)
        dataset = tablib.Dataset()
        if sheet.nrows:
            dataset.headers = [cell_value(cell, book) for cell in sheet.row(0)]
        for index in range(1, sheet.nrows):
            dataset.append([cell_value(cell, book) for cell in sheet.row(index)])
        return dataset


def cell_value(cell, book):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


def import_formats():
    """settings.IMPORT_FORMATS: the library's defaults, with `.xls` after `.xlsx`."""
    formats = [f for f in base_formats.DEFAULT_FORMATS if f is not base_formats.XLS]
    formats.insert(formats.index(base_formats.XLSX) + 1, XLS)
    return formats
