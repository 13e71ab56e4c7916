"""Times an xlsx import of 10,000 members through the members app's resource (docs/performance.md).

    DJANGO_DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_import \\
        .venv/bin/python bench/import_members.py --rows 10000 [--admin]

It writes a roster in the layout `members.resources.MemberResource` reads (its Chinese headers,
valid GB 11643 ID numbers agreeing with the birth date and gender, organisations by name), then
imports it as the admin does, as bureau staff, each step with `rollback_on_validation_errors`:
a preview (`dry_run=True`), the confirmed import, the same file again (every row unchanged,
skipped) and the file with every member's phone edited (every row an update). It reports each
step's wall and CPU time and queries, and checks what was written: a member per row, a history
row per created or updated member (by the importing user, with the import's change reason), a
`joined` and a `confirmed` event per new member, nothing for the unchanged file.

With `--admin` it then removes those members and times the admin's own pages through Django's
test client: the upload with its preview table (HTML of every row) and the confirmation.

Members from an earlier run (ID numbers in the benchmark's own region 149901) are removed first
with raw SQL. Use a database of its own (not the report benchmark's, whose members have no dues
base for the members demo). Exits with status 1 if a step reports errors or a check fails.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

REGION = "149901"
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号码",
    "学历",
    "入党时间",
    "转正时间",
    "人员类别",
    "原工作单位及职务",
    "在职/离退休",
    "所在党支部",
    "联系电话",
    "备注",
]
EDITED_PHONE = "0354-3330000"


def build_sheet(rows, organisations, phone=""):
    from openpyxl import Workbook

    from members.idnumbers import make_id_number

    rng = random.Random("import-members")
    book = Workbook(write_only=True)
    ws = book.create_sheet("党员")
    ws.append(HEADERS)
    taken = set()
    for i in range(rows):
        male = rng.random() < 0.6
        # The sequence number's last digit is odd for men, even for women.
        sequence = (i % 500) * 2 + (1 if male else 0)
        while True:
            born = datetime.date(
                1930 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)
            )
            if (born, sequence) not in taken:
                taken.add((born, sequence))
                break
        joined = datetime.date(min(born.year + 20 + rng.randrange(30), 2020), 7, 1)
        ws.append(
            [
                i + 1,
                f"导入党员{i:05d}",
                "男" if male else "女",
                "汉族",
                born,
                make_id_number(REGION, born, sequence),
                "大专",
                joined,
                joined.replace(year=joined.year + 1),
                "正式党员",
                "",
                rng.choice(["在职", "离休", "退休"]),
                organisations[i % len(organisations)],
                phone,
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def remove_benchmark_members():
    from django.db import connection

    with connection.cursor() as cursor:
        # Raw SQL: the ORM would write a history row per deleted member.
        pattern = REGION + "%"
        cursor.execute(
            "DELETE FROM members_memberevent WHERE member_id IN "
            "(SELECT id FROM members_member WHERE id_number LIKE %s)",
            [pattern],
        )
        cursor.execute("DELETE FROM members_member WHERE id_number LIKE %s", [pattern])
        cursor.execute("DELETE FROM members_historicalmember WHERE id_number LIKE %s", [pattern])


class Step:
    """Wall time, CPU time and queries of what runs inside it."""

    def __init__(self, label):
        self.label = label

    def __enter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.queries = CaptureQueriesContext(connection)
        self.queries.__enter__()
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.started
        self.cpu = time.process_time() - self.cpu_started
        self.queries.__exit__(*exc)
        return False

    def report(self, extra=""):
        print(
            f"{self.label}: {self.wall:.1f} s wall, {self.cpu:.1f} s CPU, "
            f"{len(self.queries)} queries{extra}",
            flush=True,
        )


def written(staff):
    """What the benchmark's members have in the database now."""
    from members.models import Member, MemberEvent

    imported = Member.objects.filter(id_number__startswith=REGION)
    history = Member.history.filter(id_number__startswith=REGION)
    events = MemberEvent.objects.filter(member__in=imported)
    return {
        "members": imported.count(),
        "history +": history.filter(history_type="+").count(),
        "history ~": history.filter(history_type="~").count(),
        "history by others": history.exclude(history_user=staff).count(),
        "history without the reason": history.exclude(history_change_reason="从表格导入").count(),
        "joined events": events.filter(kind="joined", recorded_by=staff).count(),
        "confirmed events": events.filter(kind="confirmed", recorded_by=staff).count(),
        "other events": events.exclude(kind__in=["joined", "confirmed"]).count(),
    }


def check(label, found, expected):
    wrong = {k: (found[k], v) for k, v in expected.items() if found[k] != v}
    status = "ok" if not wrong else f"WRONG (found, expected): {wrong}"
    print(f"  after {label}: " + ", ".join(f"{k} {v:,}" for k, v in found.items()) + f" — {status}")
    return not wrong


def resource_steps(args, staff, content, edited):
    import tablib
    from django.utils import translation

    from members.resources import MemberResource

    n = args.rows
    ok = True
    with Step("read xlsx") as step:
        dataset = tablib.Dataset().load(content, format="xlsx")
        edited_dataset = tablib.Dataset().load(edited, format="xlsx")
    print(f"read xlsx (twice): {step.wall:.1f} s", flush=True)
    created = {"members": n, "history +": n, "joined events": n, "confirmed events": n}
    none = dict.fromkeys(created, 0)
    steps = [
        ("preview", dataset, True, (n, 0, 0), none | {"history ~": 0}),
        ("import", dataset, False, (n, 0, 0), created | {"history ~": 0}),
        ("re-import unchanged", dataset, False, (0, 0, n), created | {"history ~": 0}),
        ("import edited (every row)", edited_dataset, False, (0, n, 0), created | {"history ~": n}),
    ]
    for label, data, dry_run, totals, expected in steps:
        # As in the admin, whose requests run in Chinese: the change reason is translated.
        with translation.override("zh-hans"), Step(label) as step:
            result = MemberResource(user=staff).import_data(
                data,
                dry_run=dry_run,
                use_transactions=True,
                rollback_on_validation_errors=True,
                user=staff,
            )
        errors = len(result.invalid_rows) + len(result.row_errors()) + len(result.base_errors)
        found = tuple(result.totals[k] for k in ("new", "update", "skip"))
        step.report(f", new/update/skip {found[0]:,}/{found[1]:,}/{found[2]:,}, {errors} errors")
        if errors or found != totals:
            for row in result.invalid_rows[:3]:
                print("  row", row.number, row.error_dict)
            for number, row_errors in result.row_errors()[:3]:
                print("  row", number, row_errors[0].error)
            for error in result.base_errors[:3]:
                print("  ", error.error)
            return False
        expected = expected | {"history by others": 0, "history without the reason": 0}
        expected["other events"] = 0
        ok = check(label, written(staff), expected) and ok
    return ok


def admin_steps(args, staff, content):
    import re

    from django.test import Client
    from django.urls import reverse

    remove_benchmark_members()
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    url = reverse("admin:members_member_import")
    page = client.get(url).content.decode()
    xlsx = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', page).group(1)
    upload = io.BytesIO(content)
    upload.name = "党员花名册.xlsx"
    with Step("admin upload and preview page") as step:
        response = client.post(url, {"import_file": upload, "format": xlsx, "resource": "0"})
    page = response.content.decode()
    step.report(f", a page of {len(response.content) / 2**20:.1f} MiB")
    # The confirmation form: hidden fields naming the uploaded file, as the browser posts them.
    action = reverse("admin:members_member_process_import")
    form = page[page.find(f'action="{action}"') :].split("</form>")[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    if "import_file_name" not in fields:
        print("  the preview refused the file")
        return False
    fields.pop("csrfmiddlewaretoken", None)
    with Step("admin confirmation") as step:
        response = client.post(action, fields)
    step.report(f", status {response.status_code}")
    n = args.rows
    expected = {"members": n, "history +": n, "history ~": 0, "history by others": 0}
    expected |= {"history without the reason": 0, "joined events": n, "confirmed events": n}
    return check("the admin's import", written(staff), expected) and response.status_code == 302


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--admin", action="store_true", help="time the admin pages too")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from branches.models import Organisation

    call_command("migrate", verbosity=0)
    # An earlier run's members go first: the members demo (dues) reads every current member.
    remove_benchmark_members()
    call_command("load_demo", verbosity=0)
    staff = get_user_model().objects.get(username="staff")
    organisations = list(
        Organisation.objects.filter(kind="branch").order_by("code").values_list("name", flat=True)
    )
    content = build_sheet(args.rows, organisations)
    edited = build_sheet(args.rows, organisations, phone=EDITED_PHONE)
    print(f"rows in file: {args.rows:,}", flush=True)
    ok = resource_steps(args, staff, content, edited)
    if ok and args.admin:
        ok = admin_steps(args, staff, content)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
