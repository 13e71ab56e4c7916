"""backup → restore brings back every row of every model and every media file."""

import io
import tarfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

from branches.models import Organisation
from exhibitions.models import EducationBase
from ops import backup
from ops import cache as portal_cache
from tests.factories.accounts import UserFactory
from tests.factories.branches import OrganisationFactory
from tests.factories.exhibitions import EducationBaseFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def portal_data(transactional_db, media):
    UserFactory(username="staff")
    OrganisationFactory(code="jiguan", name="局机关支部")
    base = EducationBaseFactory(slug="matian", name="麻田八路军总部纪念馆")
    storages["default"].save("bases/cover-matian.jpg", ContentFile(b"\xff\xd8fake-jpeg"))
    EducationBase.objects.filter(pk=base.pk).update(cover="bases/cover-matian.jpg")
    return base


def test_the_archive_holds_red_history_files_and_milestone_documents(portal_data, tmp_path):
    from exhibitions.storage import document_storage
    from redhistory.storage import redhistory_storage

    redhistory_storage().save("redhistory/deeds/deed.pdf", ContentFile(b"%PDF-1.4 deed"))
    document_storage().save("exhibitions/documents/plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), "--method", "json", stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        deed = tar.extractfile("media/redhistory/deeds/deed.pdf").read()
        plan = tar.extractfile("media/exhibitions/documents/plan.pdf").read()
    assert (deed, plan) == (b"%PDF-1.4 deed", b"%PDF-1.4 plan")


def round_trip(tmp_path, method):
    archive = tmp_path / "backup.tar.gz"
    before = backup.model_counts()
    out = io.StringIO()
    call_command("backup", "--output", str(archive), "--method", method, stdout=out)
    assert archive.exists() and not archive.with_name("backup.tar.gz.partial").exists()

    # Damage everything a restore must undo.
    OrganisationFactory(code="after-backup")
    EducationBase.objects.filter(slug="matian").update(name="改过的名称")
    storages["default"].delete("bases/cover-matian.jpg")

    cached = portal_cache.generations(settings.PORTAL_APPS)
    call_command("restore", str(archive), "--no-input", stdout=out)
    # Every cached public page is out of date after a restore.
    restored = portal_cache.generations(settings.PORTAL_APPS)
    assert all(restored[label] != cached[label] for label in cached)
    return before, backup.model_counts()


def test_json_backup_round_trips_every_models_count(portal_data, tmp_path):
    before, after = round_trip(tmp_path, "json")
    assert before == after
    assert sum(before.values()) > 0
    assert not Organisation.objects.filter(code="after-backup").exists()
    assert EducationBase.objects.get(slug="matian").name == "麻田八路军总部纪念馆"
    with storages["default"].open("bases/cover-matian.jpg") as handle:
        assert handle.read() == b"\xff\xd8fake-jpeg"


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not backup.shutil.which("pg_dump"),
    reason="pg_dump archives need PostgreSQL (CI runs the suite on it too)",
)
def test_pg_dump_backup_round_trips_every_models_count(portal_data, tmp_path):
    before, after = round_trip(tmp_path, "pg_dump")
    assert before == after
    assert EducationBase.objects.get(slug="matian").name == "麻田八路军总部纪念馆"


def test_the_archive_names_its_contents(portal_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    manifest = backup.create_backup(archive, method="json")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.json", "media/bases/cover-matian.jpg"} <= set(names)
    assert manifest["counts"]["exhibitions.educationbase"] == 1
    assert manifest["media_files"] == 1


def test_an_archive_with_unsafe_paths_is_refused(transactional_db, tmp_path, media):
    from django.core.management.base import CommandError

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    count = EducationBase.objects.count()
    with pytest.raises(CommandError):
        call_command("restore", str(archive), "--no-input")
    assert not (tmp_path.parent / "escape.txt").exists()
    assert EducationBase.objects.count() == count
