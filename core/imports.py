"""Spreadsheet imports: the uploaded file waits for its confirm step where only its uploader, in
the same session, can read it.

django-import-export keeps the upload between the preview and the confirm in a temp file named
by a hidden field; its `TempFolderStorage` reads (and deletes) any file of the temp folder that
field names. `SessionTempStorage` (IMPORT_EXPORT_TMP_STORAGE_CLASS) keeps each upload under a
folder named by a keyed hash of the user and session, under a random name it checks, and
removes uploads nobody confirmed within `MAX_AGE` at the next upload. Every import admin uses
`PortalImportExportMixin`, which tells the storage whose request it serves and turns a refused
or unreadable file into a message instead of a 500.
"""

import contextvars
import hashlib
import hmac
import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.tmp_storages import BaseStorage

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
    """import-export's admin mixin with uploads kept per user and session (SessionTempStorage)."""

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
