import os
import shutil
import subprocess
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from members.models import Member
from ops.models import AccessLog
from reports import storage

from .conftest import YEAR


def test_the_command_writes_the_years_report(dataset, tmp_path):
    dataset(3)
    out = tmp_path / "report.xlsx"
    call_command("yearly_report", "--year", str(YEAR), "-o", str(out))
    book = load_workbook(out)
    assert book.sheetnames[-1] == "参观明细"
    logged = AccessLog.objects.get()
    assert (logged.user, logged.action, logged.object_id) == (None, "export", "*")
    assert logged.username.startswith("manage.py yearly_report (")
    assert logged.content_type.model_class() is Member
    assert book["概况"]["A1"].value == f"{YEAR}年度 · 概况"


def test_the_command_takes_a_range(dataset, tmp_path):
    dataset(2)
    out = tmp_path / "range.xlsx"
    call_command(
        "yearly_report", "--from-year", str(YEAR - 1), "--to-year", str(YEAR), "-o", str(out)
    )
    assert load_workbook(out)["概况"]["A1"].value == f"{YEAR - 1}—{YEAR}年度 · 概况"


def test_the_command_builds_as_a_given_user(dataset, tmp_path, secretary):
    dataset(2)
    out = tmp_path / "secretary.xlsx"
    call_command(
        "yearly_report", "--year", f"{YEAR}-{YEAR}", "-o", str(out), "--user", secretary.username
    )
    assert load_workbook(out).sheetnames == ["概况", "党组织", "党员", "离退休干部"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["--year", "2024-2023", "-o", "x.xlsx"],
        ["--year", "twenty"],
        ["-o", "x.xlsx"],
        ["--year", "2024"],
    ],
)
def test_the_command_refuses_bad_options(args):
    with pytest.raises(CommandError):
        call_command("yearly_report", *args)


@pytest.mark.django_db
def test_the_command_prunes_expired_reports(private_reports, manager):
    old = storage.create_job(owner_id=manager.pk, start_year=YEAR, end_year=YEAR)
    fresh = storage.create_job(owner_id=manager.pk, start_year=YEAR, end_year=YEAR)
    day_old = time.time() - 25 * 3600
    os.utime(private_reports / f"{old['id']}.json", (day_old, day_old))
    call_command("yearly_report", "--prune")
    assert storage.read_job(old["id"]) is None
    assert storage.read_job(fresh["id"]) is not None


def test_libreoffice_opens_the_report_and_converts_it_to_pdf(dataset, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        # CI installs it (.ci/run); only a developer's machine without it may skip.
        message = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    dataset(5)
    out = tmp_path / "report.xlsx"
    call_command("yearly_report", "--year", str(YEAR), "-o", str(out))
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5000
    # LibreOffice keeps both native charts when it re-saves the workbook as ODS.
    subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless"]
        + ["--convert-to", "ods", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with zipfile.ZipFile(tmp_path / "report.ods") as ods:
        charts = [
            name
            for name in ods.namelist()
            if name.endswith("content.xml") and b"<chart:chart" in ods.read(name)
        ]
    assert len(charts) == 2


def test_the_demo_report_shows_the_bureaus_six_organisations(demo_data, tmp_path):
    out = tmp_path / "demo.xlsx"
    call_command("yearly_report", "--year", str(YEAR), "-o", str(out))
    book = load_workbook(out)
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["党组织"] == 6
    assert overview["其中：党总支"] == 1
    assert overview["其中：党支部"] == 5
    assert overview["其中：离退休干部党支部"] == 3
    assert overview["红色教育基地"] == 21
    assert overview["其中：独立党史学习教育共享基地"] == 9
    assert overview["其中：联建联办离退休干部党性教育共享基地"] == 4
    assert overview["其中：离退休干部红色教育分基地"] == 8
    names = [row[0] for row in book["党组织"].iter_rows(min_row=4, values_only=True)]
    assert names[:2] == ["市委老干部局党总支", "局机关支部"]
