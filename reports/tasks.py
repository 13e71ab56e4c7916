"""The background build of a yearly report (django-tasks; `manage.py db_worker` runs it)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import storage
from .selectors import ReportScope
from .sheets import build_report


@task()
def build_yearly_report(job_id):
    """Builds the job's workbook as its owner, recording progress in the job's manifest."""
    storage.prune()
    job = storage.read_job(job_id)
    if job is None:
        return None
    storage.update_job(job_id, status=storage.RUNNING)

    def progress(done, total):
        storage.update_job(job_id, done=done, total=total)

    try:
        user = get_user_model().objects.get(pk=job["owner"], is_active=True)
        scope = ReportScope.for_user(user, start_year=job["start_year"], end_year=job["end_year"])
        build_report(storage.file_path(job), scope=scope, progress=progress)
    except Exception:
        storage.update_job(job_id, status=storage.FAILED)
        raise
    storage.update_job(job_id, status=storage.DONE)
    return job_id
