"""Report jobs and their files, kept in a private folder that no URL serves.

A job is a small JSON manifest (`<job id>.json`: owner, years, status, progress, file name)
beside its workbook (`<random>.xlsx`). The web process writes the manifest when it enqueues the
build and the worker updates it, so the status page works with any django-tasks backend (the
immediate one keeps no results). Both names are random; only the owner's requests find them.
Files older than `PORTAL_REPORT_RETENTION_HOURS` (24 by default) are deleted by `prune()`,
which every build runs first, and `manage.py yearly_report --prune` runs on demand.
"""

import datetime
import json
import os
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def report_dir():
    path = Path(settings.PORTAL_PRIVATE_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def retention():
    return datetime.timedelta(hours=getattr(settings, "PORTAL_REPORT_RETENTION_HOURS", 24))


def _manifest_path(job_id):
    if not JOB_ID.match(job_id or ""):
        raise KeyError(job_id)
    return report_dir() / f"{job_id}.json"


def _write(job_id, manifest):
    path = _manifest_path(job_id)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def create_job(*, owner_id, start_year, end_year):
    job_id = secrets.token_urlsafe(16)
    manifest = {
        "id": job_id,
        "owner": owner_id,
        "start_year": start_year,
        "end_year": end_year,
        "status": QUEUED,
        "done": 0,
        "total": 0,
        "file": f"{secrets.token_urlsafe(24)}.xlsx",
        "created": timezone.now().isoformat(),
    }
    _write(job_id, manifest)
    return manifest


def read_job(job_id):
    """The manifest of a job, or None when there is none (or the id is malformed)."""
    try:
        return json.loads(_manifest_path(job_id).read_text(encoding="utf-8"))
    except (KeyError, FileNotFoundError, ValueError):
        return None


def update_job(job_id, **changes):
    manifest = read_job(job_id)
    if manifest is None:
        return None
    manifest.update(changes)
    _write(job_id, manifest)
    return manifest


def jobs_of(owner_id):
    """The owner's jobs, newest first."""
    jobs = []
    for path in report_dir().glob("*.json"):
        manifest = read_job(path.stem)
        if manifest and manifest.get("owner") == owner_id:
            jobs.append(manifest)
    return sorted(jobs, key=lambda job: job["created"], reverse=True)


def file_path(manifest):
    return report_dir() / Path(manifest["file"]).name


def prune(now=None):
    """Deletes manifests and workbooks older than the retention period; returns how many files."""
    cutoff = (now or timezone.now()).timestamp() - retention().total_seconds()
    removed = 0
    for path in report_dir().iterdir():
        if path.suffix in (".json", ".xlsx", ".tmp") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
