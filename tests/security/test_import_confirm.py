"""The import's confirm step reads only a file its own user uploaded in the same session
(`core.imports.SessionTempStorage`, IMPORT_EXPORT_TMP_STORAGE_CLASS): a name from another user,
another session or anywhere else in the temp folder is refused with a message, and so is a
wrong format; abandoned uploads are cleaned at the next upload."""

import os
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ImportMixin

from core import roles
from core.imports import PortalImportExportMixin, SessionTempStorage
from members.models import Member
from tests.factories.accounts import UserFactory
from tests.members.test_import import good_rows, preview, workbook

PROCESS = reverse("admin:members_member_process_import")
UPLOAD_AGAIN = "请重新上传文件"


def confirm_data(response):
    confirm = response.context["confirm_form"]
    return {name: confirm[name].value() for name in confirm.fields}


@pytest.fixture
def rows(own_branch, other_branch):
    return good_rows()


def test_every_import_admin_keeps_uploads_per_user_and_session():
    plain = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ImportMixin)
        and not isinstance(model_admin, PortalImportExportMixin)
    ]
    assert plain == []


@pytest.mark.django_db
def test_the_uploader_confirms_their_own_file(staff_client, rows):
    data = confirm_data(preview(staff_client, rows))
    assert staff_client.post(PROCESS, data).status_code == 302
    assert Member.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["another_user", "another_session"])
def test_another_user_or_session_cannot_confirm_the_file(client, bureau_staff, rows, who):
    client.force_login(bureau_staff)
    data = confirm_data(preview(client, rows))
    client.logout()
    if who == "another_user":
        client.force_login(UserFactory(username="staff2", roles=[roles.BUREAU_STAFF]))
    else:
        client.force_login(bureau_staff)
    response = client.post(PROCESS, data, follow=True)
    assert response.status_code == 200
    assert UPLOAD_AGAIN in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_a_file_of_the_temp_folder_named_in_the_form_is_neither_read_nor_deleted(
    staff_client, rows
):
    data = confirm_data(preview(staff_client, rows))
    # A good spreadsheet someone else left in the temp folder, where the library would look.
    victim = Path(tempfile.gettempdir()) / f"victim-{uuid.uuid4().hex}.xlsx"
    victim.write_bytes(workbook(rows).getvalue())
    try:
        for name in [str(victim), f"../{victim.name}", victim.name, "portal-imports"]:
            response = staff_client.post(PROCESS, {**data, "import_file_name": name}, follow=True)
            assert response.status_code == 200
            assert UPLOAD_AGAIN in response.content.decode()
        assert victim.exists()
    finally:
        victim.unlink(missing_ok=True)
    assert not Member.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["99", "-1", "csv", "0"])
def test_a_wrong_format_says_so_instead_of_failing(staff_client, rows, fmt):
    data = confirm_data(preview(staff_client, rows))
    if fmt == "0" and data["format"] == "0":
        fmt = "1"
    response = staff_client.post(PROCESS, {**data, "format": fmt}, follow=True)
    assert response.status_code == 200
    assert UPLOAD_AGAIN in response.content.decode()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_abandoned_uploads_are_removed_at_the_next_upload(staff_client, rows, settings, tmp_path):
    settings.PORTAL_IMPORT_TMP_DIR = str(tmp_path / "imports")
    data = confirm_data(preview(staff_client, rows))
    folder = SessionTempStorage.folder()
    abandoned = [p for p in folder.rglob("*") if p.is_file()]
    assert len(abandoned) == 1
    day_old = time.time() - SessionTempStorage.MAX_AGE - 60
    os.utime(abandoned[0], (day_old, day_old))
    preview(staff_client, rows)
    assert not abandoned[0].exists()
    assert staff_client.post(PROCESS, data, follow=True).status_code == 200
    assert not Member.objects.exists()
