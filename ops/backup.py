"""One consistent archive of the portal: the database and every media file.

Archive (tar.gz):
- `manifest.json`: when, which method, the row count of every model (checked on restore);
- `database.pgdump`: `pg_dump --format=custom` (PostgreSQL, when pg_dump is installed), or
  `database.json`: Django's serialiser, read inside one transaction (any database);
- `media/...`: every stored file (file system or object storage): the default storage's, the
  red-history files' and the milestone documents', which share its folder or bucket
  (config/settings.py, `MEDIA_STORAGE`), each file streamed, never read whole into memory.
"""

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.utils import timezone

from ops.cache import bump_all

FORMAT_VERSION = 1


def model_counts():
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def pg_dump_available():
    return connection.vendor == "postgresql" and shutil.which("pg_dump") is not None


def _pg_env():
    params = connection.get_connection_params()
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    args = []
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args += [flag, str(params[key])]
    return env, args, params.get("database") or params.get("dbname")


def _dump_models():
    # Every table with its own primary keys, content types and permissions included: restore
    # empties the database first, so the keys that rows point at come back unchanged.
    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def _write_json_dump(path):
    """All rows in one read transaction, so the dump is a single moment of the database."""
    models = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    wanted = set(_dump_models())
    with transaction.atomic(), open(path, "w", encoding="utf-8") as handle:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = model_counts()
        objects = (
            obj
            for model in models
            if model in wanted
            for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000)
        )
        serializers.serialize(
            "json",
            objects,
            stream=handle,
        )
    return counts


def _write_pg_dump(path):
    env, args, database = _pg_env()
    counts = model_counts()
    # pg_dump takes its own snapshot: the dump is consistent however long it runs.
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(path),
            database,
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    return counts


def _walk_storage(storage, folder=""):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _walk_storage(storage, f"{folder}/{directory}" if folder else directory)


# Every storage of uploaded files; the archive holds them under one `media/` folder.
MEDIA_STORAGES = ["default", "redhistory", "documents"]


def _root(storage):
    if hasattr(storage, "bucket_name"):
        return ("s3", storage.bucket_name, storage.location)
    return ("filesystem", str(storage.location))


def media_storage():
    """The storage every media file is in: all of MEDIA_STORAGES must share one root, so one
    walk finds every file and a restore puts each back where its field looks for it."""
    default = storages["default"]
    apart = [alias for alias in MEDIA_STORAGES if _root(storages[alias]) != _root(default)]
    if apart:
        raise ValueError(f"Storages {apart} are not in the default storage's folder or bucket")
    return default


def create_backup(output, *, method="auto", stdout=None):
    """Writes the archive to `output` (a path); returns the manifest."""
    use_pg = method == "pg_dump" or (method == "auto" and pg_dump_available())
    storage = media_storage()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if use_pg:
            dump_name = "database.pgdump"
            counts = _write_pg_dump(tmp / dump_name)
        else:
            dump_name = "database.json"
            counts = _write_json_dump(tmp / dump_name)
        media = sorted(_walk_storage(storage))
        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "method": "pg_dump" if use_pg else "json",
            "database_vendor": connection.vendor,
            "database_file": dump_name,
            "counts": counts,
            "media_files": len(media),
        }
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(tmp / dump_name, arcname=dump_name)
            for name in media:
                info = tarfile.TarInfo(f"media/{name}")
                info.size = storage.size(name)
                with storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
        # Only a complete archive gets the name asked for.
        partial.replace(output)
    if stdout is not None:
        stdout.write(
            f"{output}: {manifest['method']}, {sum(counts.values())} rows, {len(media)} media files"
        )
    return manifest


def _safe_members(archive):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"Unsafe path in archive: {member.name}")
        yield member


def restore_backup(path, *, stdout=None):
    """Replaces the database and media with the archive's; returns (manifest, counts after)."""
    storage = media_storage()
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        tmp = Path(tmp)
        members = list(_safe_members(archive))
        archive.extractall(tmp, members=members, filter="data")
        manifest = json.loads((tmp / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError("Unknown backup format")
        dump = tmp / manifest["database_file"]
        if manifest["method"] == "pg_dump":
            if connection.vendor != "postgresql":
                raise ValueError("A pg_dump archive restores only into PostgreSQL")
            env, args, database = _pg_env()
            connection.close()
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *args,
                    "--dbname",
                    database,
                    str(dump),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        else:
            call_command("migrate", verbosity=0, interactive=False)
            with transaction.atomic():
                call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
                call_command("loaddata", str(dump), verbosity=0)
            # Models added since the backup was taken get their content types and permissions.
            emit_post_migrate_signal(0, False, connection.alias)
        media_root = tmp / "media"
        restored_media = 0
        if media_root.exists():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                name = file.relative_to(media_root).as_posix()
                if storage.exists(name):
                    storage.delete(name)
                with file.open("rb") as handle:
                    storage.save(name, File(handle, name=name))
                restored_media += 1
    # Pages cached before the restore show records it may have replaced.
    bump_all()
    counts = model_counts()
    if stdout is not None:
        stdout.write(f"{path}: restored {sum(counts.values())} rows, {restored_media} media files")
    return manifest, counts
