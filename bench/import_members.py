"""Times an xlsx import of 10,000 members through the members app's resource (docs/performance.md).

    DJANGO_DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_import \\
        .venv/bin/python bench/import_members.py --rows 10000

It writes a roster in the layout `members.resources.MemberResource` reads (its Chinese headers,
valid GB 11643 ID numbers agreeing with the birth date and gender, organisations by name), then
imports it as the admin does: a preview (`dry_run=True`) and then the confirmed import, each with
`rollback_on_validation_errors`, as bureau staff. It reports both (wall and CPU time) and checks that every row
became a member with its history row and its joining event. Members from an earlier run
(ID numbers in the benchmark's own region 149901) are removed first with raw SQL. Use a database
of its own (not the report benchmark's, whose members have no dues base for the members demo).
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


def build_sheet(rows, organisations):
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
                "",
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    import tablib
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from branches.models import Organisation
    from members.models import Member, MemberEvent
    from members.resources import MemberResource

    call_command("migrate", verbosity=0)
    # An earlier run's members go first: the members demo (dues) reads every current member.
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
    call_command("load_demo", verbosity=0)
    staff = get_user_model().objects.get(username="staff")
    organisations = list(
        Organisation.objects.filter(kind="branch").order_by("code").values_list("name", flat=True)
    )
    content = build_sheet(args.rows, organisations)

    timings = {}
    started = time.perf_counter()
    dataset = tablib.Dataset().load(content, format="xlsx")
    timings["read xlsx"] = time.perf_counter() - started
    for label, dry_run in [("preview", True), ("import", False)]:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = MemberResource(user=staff).import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=staff,
        )
        timings[label] = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        errors = len(result.invalid_rows) + len(result.row_errors())
        print(
            f"{label}: {timings[label]:.1f} s wall, {cpu:.1f} s CPU, {errors} rows with errors",
            flush=True,
        )
        if errors:
            for row in result.invalid_rows[:3]:
                print("  row", row.number, row.error_dict)
            for number, row_errors in result.row_errors()[:3]:
                print("  row", number, row_errors[0].error)
            return

    imported = Member.objects.filter(id_number__startswith=REGION)
    history = Member.history.filter(id_number__startswith=REGION).count()
    events = MemberEvent.objects.filter(member__in=imported, kind="joined").count()
    print(
        f"rows in file: {args.rows:,}; members imported: {imported.count():,}; "
        f"history rows: {history:,}; joining events: {events:,}"
    )
    print(
        "read xlsx: {read xlsx:.1f} s; preview: {preview:.1f} s; import: {import:.1f} s".format(
            **timings
        )
    )


if __name__ == "__main__":
    main()
