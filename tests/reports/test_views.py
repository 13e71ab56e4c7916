"""The /reports/ pages: who may build, the task flow, and files only their owner can fetch."""

import json
import os
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Member
from ops.models import AccessLog
from reports import storage

from .conftest import YEAR


def build(client, start=YEAR, end=YEAR):
    return client.post(reverse("reports:index"), {"start_year": start, "end_year": end})


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "bureau_staff", "secretary"])
def test_managers_staff_and_secretaries_see_the_year_picker(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert "生成报表" in response.content.decode()


def test_a_base_administrator_is_refused(base_admin_client):
    assert base_admin_client.get(reverse("reports:index")).status_code == 403
    assert build(base_admin_client).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(anonymous, db):
    response = anonymous.get(reverse("reports:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_building_enqueues_the_task_and_offers_the_file(
    manager_client, manager, dataset, private_reports
):
    dataset(4)
    response = build(manager_client)
    assert response.status_code == 302
    job_url = response["Location"]
    job_id = job_url.rstrip("/").split("/")[-1]
    page = manager_client.get(job_url).content.decode()
    assert "reports/report-status.js" in page
    assert "<script>" not in page
    status = manager_client.get(reverse("reports:status", args=[job_id])).json()
    assert status["status"] == "done"
    assert status["done"] == status["total"] == 8
    assert not AccessLog.objects.exists()
    download = manager_client.get(status["download_url"])
    assert download.status_code == 200
    logged = AccessLog.objects.get()
    assert (logged.user, logged.action, logged.object_id) == (manager, "export", "*")
    assert logged.content_type.model_class() is Member
    assert "attachment" in download["Content-Disposition"]
    path = private_reports / "downloaded.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    assert load_workbook(path).sheetnames[0] == "概况"
    files = list(private_reports.glob("*.xlsx"))
    assert len(files) == 2 and job_id not in files[0].name


def test_another_user_gets_404_for_someone_elses_report(client, manager, bureau_staff, db):
    client.force_login(manager)
    job_id = build(client)["Location"].rstrip("/").split("/")[-1]
    client.force_login(bureau_staff)
    for name in ["job", "status", "download"]:
        assert client.get(reverse(f"reports:{name}", args=[job_id])).status_code == 404


def test_a_secretarys_file_holds_only_their_own_sheets(secretary_client, dataset, private_reports):
    dataset(2)
    job_id = build(secretary_client)["Location"].rstrip("/").split("/")[-1]
    job = storage.read_job(job_id)
    assert load_workbook(storage.file_path(job)).sheetnames == [
        "概况",
        "党组织",
        "党员",
        "离退休干部",
    ]


def test_a_reversed_year_range_is_refused_in_chinese(manager_client, private_reports):
    response = build(manager_client, YEAR, YEAR - 1)
    assert response.status_code == 200
    assert "截止年度不能早于起始年度" in response.content.decode()
    assert not list(private_reports.glob("*.json"))


def test_an_unknown_or_malformed_job_is_404(manager_client, db):
    for job_id in ["x" * 22, "../../etc/passwd", "short"]:
        response = manager_client.get(f"/reports/{job_id}/status/")
        assert response.status_code == 404


def test_reports_older_than_the_retention_period_are_deleted(
    manager_client, private_reports, settings
):
    job_id = build(manager_client)["Location"].rstrip("/").split("/")[-1]
    job = storage.read_job(job_id)
    workbook = storage.file_path(job)
    assert workbook.exists()
    day_old = time.time() - 25 * 3600
    for path in private_reports.iterdir():
        os.utime(path, (day_old, day_old))
    fresh_id = build(manager_client)["Location"].rstrip("/").split("/")[-1]  # the build prunes
    assert not workbook.exists()
    assert manager_client.get(reverse("reports:download", args=[job_id])).status_code == 404
    assert storage.read_job(fresh_id)["status"] == "done"
    assert json.loads((private_reports / f"{fresh_id}.json").read_text())["owner"]


def test_a_report_younger_than_the_retention_period_is_kept(private_reports, manager, db):
    job = storage.create_job(owner_id=manager.pk, start_year=YEAR, end_year=YEAR)
    assert storage.prune() == 0
    assert storage.read_job(job["id"]) is not None


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_builds_the_queued_report(
    client, manager, settings, private_reports
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(manager)
    job_id = build(client)["Location"].rstrip("/").split("/")[-1]
    assert client.get(reverse("reports:status", args=[job_id])).json()["status"] == "queued"
    assert DBTaskResult.objects.get().args_kwargs["args"] == [job_id]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    status = client.get(reverse("reports:status", args=[job_id])).json()
    assert status["status"] == "done"
    assert status["download_url"]


def test_a_report_whose_owner_was_deactivated_fails_without_a_file(
    manager_client, manager, private_reports
):
    job = storage.create_job(owner_id=manager.pk, start_year=YEAR, end_year=YEAR)
    manager.is_active = False
    manager.save()
    from reports.tasks import build_yearly_report

    build_yearly_report.enqueue(job["id"])
    assert storage.read_job(job["id"])["status"] == "failed"
    assert not storage.file_path(job).exists()


def test_the_year_picker_and_the_status_answer_with_few_queries(
    manager_client, manager, django_assert_max_num_queries
):
    job = storage.create_job(owner_id=manager.pk, start_year=YEAR, end_year=YEAR)
    for _ in range(5):
        storage.create_job(owner_id=manager.pk, start_year=YEAR, end_year=YEAR)
    # session, user, two permission reads, and the session saved on every request (3)
    with django_assert_max_num_queries(7):
        assert manager_client.get(reverse("reports:index")).status_code == 200
    with django_assert_max_num_queries(7):
        assert manager_client.get(reverse("reports:status", args=[job["id"]])).status_code == 200


def test_a_range_is_named_by_its_first_and_last_year(manager_client, private_reports):
    response = build(manager_client, YEAR - 1, YEAR)
    page = manager_client.get(response["Location"]).content.decode()
    assert f"{YEAR - 1}—{YEAR}年度报表" in page
