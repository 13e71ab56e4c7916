"""Spreadsheet imports in the admin: every import reads its file through one guard, and the
uploaded file waits for its confirm step where only its uploader, in the same session, can read it.

The guard. A 5 KB xlsx may declare 1,048,576 × 16,384 cells, and openpyxl's read-only reader pads
every row to the declared size: read naively it fills a worker's memory, and a threaded gunicorn
worker is not killed by its timeout while a thread runs. So a file is refused, with a Chinese
message, before any row is read when it is larger than PORTAL_MAX_IMPORT_BYTES or its sheet
declares more than PORTAL_MAX_IMPORT_ROWS rows or PORTAL_MAX_IMPORT_COLUMNS columns; rows are then
streamed with the same caps (a sheet may declare nothing, or lie), never padded past the columns
allowed.

The upload between preview and confirm. django-import-export keeps it in a temp file named by a
hidden field; its `TempFolderStorage` reads (and deletes) any file of the temp folder that field
names. `SessionTempStorage` (IMPORT_EXPORT_TMP_STORAGE_CLASS) keeps each upload under a folder
named by a keyed hash of the user and session, under a random name it checks, and removes uploads
nobody confirmed within `MAX_AGE` at the next upload.

Every import admin uses `PortalImportExportMixin` (tests/ops/test_hostile_input.py checks it),
which reads through the guard, tells the storage whose request it serves, and turns a refused or
unreadable file into a message instead of a 500.
"""

import contextvars
import csv
import hashlib
import hmac
import io
import re
import time
import uuid
import zipfile
from pathlib import Path

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.tmp_storages import BaseStorage
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
MESSAGE_NOT_AN_XLS = _(
    "This file is not an Excel 97–2003 workbook (.xls); save it again as .xls or .xlsx."
)
MESSAGE_WRONG_FORMAT = _(
    "This file could not be read as the format chosen below. Check that the format matches the "
    "file's extension (.xlsx, .xls or .csv)."
)

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


class XLS(base_formats.Format):
    """The first sheet of an `.xls` workbook (Excel 97–2003), its first row the headers.

    Many branches still keep their rosters as `.xls`. tablib's xls format needs xlwt as well as
    xlrd (xlwt is unmaintained), so `.xls` is read here with xlrd alone: import only, exports stay
    `.xlsx`. Date cells become dates and empty cells None, as the `.xlsx` reader gives them, so that
    every widget of core/widgets.py reads both the same way. The format itself caps a sheet at
    65,536 rows and 256 columns; the portal's own limits apply on top.
    """

    CONTENT_TYPE = "application/vnd.ms-excel"

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return "xls"

    def get_extension(self):
        return "xls"

    def get_content_type(self):
        return self.CONTENT_TYPE

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        import xlrd

        check_size(len(in_stream))
        try:
            book = xlrd.open_workbook(file_contents=in_stream, on_demand=True)
        except xlrd.XLRDError:
            raise SpreadsheetRefused(str(MESSAGE_NOT_AN_XLS)) from None
        sheet = book.sheet_by_index(0)
        check_shape(sheet.nrows, sheet.ncols)
        rows = ([_xls_value(cell, book) for cell in sheet.row(i)] for i in range(sheet.nrows))
        return _dataset(rows)


def _xls_value(cell, book):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


IMPORT_FORMATS = [GuardedCSV, GuardedXLSX, XLS]


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


MESSAGE_UPLOAD_AGAIN = _(
    "The uploaded file is no longer available, or was not uploaded by you in this session, or "
    "its format does not match. Please upload the file again."
)

_owner = contextvars.ContextVar("import_owner", default=None)


class UploadRefused(Exception):
    """The confirm step named a file that is not this session's upload."""


def owner_key(request):
    session_key = request.session.session_key or ""
    message = f"{request.user.pk}:{session_key}".encode()
    key = f"import-upload:{settings.SECRET_KEY}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class SessionTempStorage(BaseStorage):
    NAME = re.compile(r"[0-9a-f]{32}")
    # Uploads left at the preview (errors found, the user went away) are removed after this.
    MAX_AGE = 24 * 60 * 60

    def __init__(self, **kwargs):
        self.owner = kwargs.pop("owner", None)
        super().__init__(**kwargs)
        if self.owner is None:
            raise UploadRefused("no owner: the admin does not use PortalImportExportMixin")

    @classmethod
    def folder(cls):
        return Path(settings.PORTAL_IMPORT_TMP_DIR)

    def _path(self):
        if not self.name or not self.NAME.fullmatch(self.name):
            raise UploadRefused(self.name)
        return self.folder() / self.owner / self.name

    def save(self, data):
        self.remove_abandoned()
        self.name = uuid.uuid4().hex
        path = self._path()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(data if isinstance(data, bytes) else data.encode(self.encoding or "utf-8"))

    def read(self):
        try:
            data = self._path().read_bytes()
        except FileNotFoundError:
            raise UploadRefused(self.name) from None
        return data if "b" in self.read_mode else data.decode(self.encoding or "utf-8")

    def remove(self):
        self._path().unlink(missing_ok=True)

    @classmethod
    def remove_abandoned(cls):
        cutoff = time.time() - cls.MAX_AGE
        for path in cls.folder().glob("*/*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except FileNotFoundError:
                continue


class PortalImportExportMixin(ImportExportMixin):
    """import-export's admin mixin: files read through the guard, uploads kept per user and
    session (SessionTempStorage)."""

    import_form_class = GuardedImportForm

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        # The library names only the exception's class, so as not to echo a file's content; our
        # readers' own messages are fixed text and are shown as they are.
        if isinstance(e, SpreadsheetRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", str(MESSAGE_WRONG_FORMAT))

    def get_tmp_storage_class_kwargs(self):
        return {**super().get_tmp_storage_class_kwargs(), "owner": _owner.get()}

    def import_action(self, request, **kwargs):
        token = _owner.set(owner_key(request))
        try:
            return super().import_action(request, **kwargs)
        finally:
            _owner.reset(token)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        # import-export's own, with the file and format checked: a refused or unreadable
        # upload is a message and a fresh start, not a 500.
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        token = _owner.set(owner_key(request))
        try:
            formats = self.get_import_formats()
            try:
                index = int(confirm_form.cleaned_data["format"])
                if not 0 <= index < len(formats):
                    raise ValueError(index)
                input_format = formats[index](encoding=self.from_encoding)
                storage = self.get_tmp_storage_class()(
                    name=confirm_form.cleaned_data["import_file_name"],
                    encoding=None if input_format.is_binary() else self.from_encoding,
                    read_mode=input_format.get_read_mode(),
                    **self.get_tmp_storage_class_kwargs(),
                )
                dataset = input_format.create_dataset(storage.read())
            except Exception:  # noqa: BLE001 - any unreadable upload: the user uploads it again
                self.message_user(request, MESSAGE_UPLOAD_AGAIN, messages.ERROR)
                info = self.get_model_info()
                return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
            result = self.process_dataset(dataset, confirm_form, request, **kwargs)
            storage.remove()
            return self.process_result(result, request)
        finally:
            _owner.reset(token)
