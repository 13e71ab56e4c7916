"""Spreadsheet imports in the admin: every import view reads its file through this guard.

A 5 KB xlsx may declare 1,048,576 × 16,384 cells, and openpyxl's read-only reader pads every row
to the declared size: read naively it fills a worker's memory, and a threaded gunicorn worker is
not killed by its timeout while a thread runs. So a file is refused, with a Chinese message,
before any row is read when it is larger than PORTAL_MAX_IMPORT_BYTES or its sheet declares more
than PORTAL_MAX_IMPORT_ROWS rows or PORTAL_MAX_IMPORT_COLUMNS columns; rows are then streamed
with the same caps (a sheet may declare nothing, or lie), never padded past the columns allowed.

Use `PortalImportExportMixin` instead of django-import-export's `ImportExportMixin` on a model
admin; `tests/ops/test_hostile_input.py` checks that every import admin does.
"""

import csv
import io
import zipfile

import tablib
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

MESSAGE_TOO_LARGE = _("The file is too large to import: at most %(limit)s MB.")
MESSAGE_TOO_MANY_ROWS = _(
    "The sheet has more than %(limit)s rows; split it into several files and import them one "
    "by one."
)
MESSAGE_TOO_MANY_COLUMNS = _(
    "The sheet has more than %(limit)s columns; keep only the columns of the template."
)
MESSAGE_UNREADABLE = _("The file cannot be read as a spreadsheet; save it again as .xlsx.")

# A sheet's XML compresses well, but not a thousandfold: beyond that it is a zip bomb.
MAX_COMPRESSION_RATIO = 1000


class SpreadsheetRefused(ValueError):
    """Raised with a Chinese message the import page shows as the file's error."""


def _limits():
    return (
        settings.PORTAL_MAX_IMPORT_BYTES,
        settings.PORTAL_MAX_IMPORT_ROWS,
        settings.PORTAL_MAX_IMPORT_COLUMNS,
    )


def _refuse(message, limit):
    return SpreadsheetRefused(str(message) % {"limit": limit})


def check_size(size):
    max_bytes, _rows, _columns = _limits()
    if size > max_bytes:
        raise _refuse(MESSAGE_TOO_LARGE, max_bytes // (1024 * 1024))


def check_shape(rows, columns):
    _bytes, max_rows, max_columns = _limits()
    if rows is not None and rows > max_rows + 1:  # the header row is not counted
        raise _refuse(MESSAGE_TOO_MANY_ROWS, max_rows)
    if columns is not None and columns > max_columns:
        raise _refuse(MESSAGE_TOO_MANY_COLUMNS, max_columns)


def _check_zip(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for entry in archive.infolist():
                if entry.file_size > max(entry.compress_size, 1) * MAX_COMPRESSION_RATIO:
                    raise _refuse(MESSAGE_TOO_LARGE, _limits()[0] // (1024 * 1024))
    except zipfile.BadZipFile:
        raise SpreadsheetRefused(str(MESSAGE_UNREADABLE)) from None


def _dataset(rows):
    """A Dataset from (header, *rows); rows shorter than the header are padded, blank rows kept
    as django-import-export's own reader keeps them."""
    dataset = tablib.Dataset()
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        return dataset
    header = list(header)
    while header and header[-1] is None:  # a formatted but empty cell ends some headers
        header.pop()
    dataset.headers = header
    width = len(header)
    for row in rows:
        row = list(row[:width]) + [None] * (width - len(row))
        dataset.append(row)
    return dataset


def xlsx_rows(content):
    """The rows of an xlsx file's active sheet as tuples of values, refused beyond the limits:
    first by the sheet's declared dimension, then while the rows stream."""
    check_size(len(content))
    _check_zip(content)
    _bytes, max_rows, max_columns = _limits()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise SpreadsheetRefused(str(MESSAGE_UNREADABLE)) from None
    try:
        sheet = book.active
        # A declared A1:XFD1048576 is refused here, before a row is read.
        check_shape(sheet.max_row, sheet.max_column)
        # Declared sizes may be absent or false: forget them, so each row is only as long as
        # its own last cell (one row of at most 16,384 cells before it is refused).
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            if number > max_rows:
                raise _refuse(MESSAGE_TOO_MANY_ROWS, max_rows)
            if len(row) > max_columns and any(value is not None for value in row[max_columns:]):
                raise _refuse(MESSAGE_TOO_MANY_COLUMNS, max_columns)
            yield row[:max_columns]
    finally:
        book.close()


def csv_rows(text):
    check_size(len(text.encode()))
    _bytes, max_rows, max_columns = _limits()
    for number, row in enumerate(csv.reader(io.StringIO(text))):
        if number > max_rows:
            raise _refuse(MESSAGE_TOO_MANY_ROWS, max_rows)
        if len(row) > max_columns:
            raise _refuse(MESSAGE_TOO_MANY_COLUMNS, max_columns)
        yield row


def declared_shape(upload):
    """The rows and columns an uploaded xlsx declares (None when it declares nothing)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
            if not names:
                return None, None
            with archive.open(sorted(names)[0]) as sheet:
                head = sheet.read(4096).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return None, None
    start = head.find("<dimension ref=")
    if start < 0:
        return None, None
    ref = head[start + 16 :].split('"', 1)[0].split("'", 1)[0]
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except ValueError:
        return None, None
    return max_row, max_col


class GuardedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return _dataset(xlsx_rows(in_stream))


class GuardedCSV(base_formats.CSV):
    def create_dataset(self, in_stream):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        return _dataset(csv_rows(in_stream))


IMPORT_FORMATS = [GuardedCSV, GuardedXLSX]


class GuardedImportForm(ImportForm):
    """Refuses a file over the size limit, or an xlsx declaring too many rows or columns, while
    the form is validated: before django-import-export copies the upload into memory."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
            if upload.name.lower().endswith(".xlsx"):
                check_shape(*declared_shape(upload))
        except SpreadsheetRefused as refused:
            raise forms.ValidationError(str(refused), code="spreadsheet_refused") from None
        finally:
            upload.seek(0)
        return upload


class PortalImportExportMixin(ImportExportMixin):
    """django-import-export's admin mixin, reading files only through the guard above."""

    import_form_class = GuardedImportForm

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
