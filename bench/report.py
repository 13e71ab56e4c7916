"""Benchmark of the yearly report against the floor and the naive export (docs/performance.md).

    DJANGO_DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_report \\
        .venv/bin/python bench/report.py --sizes 125000 250000 --members 10000

For each size it puts exactly that many visits of the year (and `--members` members) in the
database, deterministically, then measures three things, each in a subprocess of its own so that
its peak RSS (`resource.getrusage`) is its own:
(a) the yearly report (every sheet, streaming), as `manage.py yearly_report` builds it;
(b) the floor: the same visit rows, generated in plain Python, written by bare XlsxWriter
    (constant_memory) with no Django at all; (o) the same with bare openpyxl write-only, the
    writer the report used before, kept for comparison;
(c) what a developer would write first: django-import-export's default `ModelResource` for
    Visit, exported to xlsx.
The rows are inserted with bulk_create in 2019, a year the demo leaves empty (no history rows:
this is a benchmark database, never the demo).
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# A year the demo has no visits in (its visits start in 2021), so that the year holds exactly the
# benchmark's N visits.
YEAR = 2019
SEED = 20240701

CATEGORIES = [
    ("cadres", "在职干部"),
    ("students", "中小学生"),
    ("retired", "离退休党员"),
    ("public", "社会各界群众"),
]
SOURCES = [
    ("staff", "工作人员录入"),
    ("booking", "预约"),
    ("check_in", "现场签到"),
    ("import", "导入"),
]
BASES = [
    # slug, name, kind, county
    *(
        (f"bench-independent-{i}", f"独立党史学习教育共享基地{i}", "independent", "yuci")
        for i in range(9)
    ),
    *((f"bench-joint-{i}", f"联建联办党性教育共享基地{i}", "joint", "taigu") for i in range(4)),
    *((f"bench-sub-{i}", f"离退休干部红色教育分基地{i}", "sub_base", "zuoquan") for i in range(8)),
]


def visit_values(n):
    """The n visits of the year, as plain Python: (date, base index, group, category, headcount, source)."""
    rng = random.Random(SEED)
    start = datetime.date(YEAR, 1, 1)
    days = (datetime.date(YEAR + 1, 1, 1) - start).days
    for i in range(n):
        yield (
            start + datetime.timedelta(days=rng.randrange(days)),
            rng.randrange(len(BASES)),
            f"参观团{i:06d}",
            CATEGORIES[rng.randrange(4)][0],
            rng.randrange(5, 80),
            SOURCES[rng.randrange(4)][0],
        )


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- children ---------------------------------------------------------------------------------


FLOOR_KINDS = {
    "independent": "独立党史学习教育共享基地",
    "joint": "联建联办党性教育共享基地",
    "sub_base": "红色教育分基地",
}
FLOOR_COUNTIES = {"yuci": "榆次区", "taigu": "太谷区", "zuoquan": "左权县"}
FLOOR_HEADER = [
    "参观日期",
    "教育基地",
    "县（市、区）",
    "基地类别",
    "参观团体",
    "参观群体",
    "人数",
    "来源",
]


def floor_rows(n):
    """The visit rows as the report writes them (labels looked up), sorted by date."""
    category_labels, source_labels = dict(CATEGORIES), dict(SOURCES)
    for day, base, group, category, headcount, source in sorted(
        visit_values(n), key=lambda row: row[0]
    ):
        _slug, name, kind, county = BASES[base]
        yield [
            day,
            name,
            FLOOR_COUNTIES[county],
            FLOOR_KINDS[kind],
            group,
            category_labels[category],
            headcount,
            source_labels[source],
        ]


def child_floor(n, out):
    """(b) bare XlsxWriter in constant_memory mode, no Django: the same 8 columns."""
    import xlsxwriter

    started, cpu_started = time.perf_counter(), time.process_time()
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_urls": False,
            "strings_to_formulas": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    ws = book.add_worksheet("参观明细")
    ws.write_row(0, 0, FLOOR_HEADER)
    for index, row in enumerate(floor_rows(n), start=1):
        ws.write_row(index, 0, row)
    book.close()
    return time.perf_counter() - started, time.process_time() - cpu_started


def child_floor_openpyxl(n, out):
    """(o) bare openpyxl write-only (with lxml), no Django: the writer the report used before."""
    from openpyxl import Workbook

    started, cpu_started = time.perf_counter(), time.process_time()
    book = Workbook(write_only=True)
    ws = book.create_sheet("参观明细")
    ws.append(FLOOR_HEADER)
    for row in floor_rows(n):
        ws.append(row)
    book.save(out)
    return time.perf_counter() - started, time.process_time() - cpu_started


def child_report(out):
    """(a) the yearly report, every sheet, as the command builds it."""
    import django

    django.setup()
    from reports.selectors import ReportScope
    from reports.sheets import build_report

    started, cpu_started = time.perf_counter(), time.process_time()
    build_report(out, scope=ReportScope(start_year=YEAR, end_year=YEAR))
    return time.perf_counter() - started, time.process_time() - cpu_started


def child_import_export(out):
    """(c) django-import-export's default ModelResource for Visit, exported to xlsx."""
    import django

    django.setup()
    from import_export.resources import modelresource_factory

    from visits.models import Visit

    started, cpu_started = time.perf_counter(), time.process_time()
    resource = modelresource_factory(Visit)()
    dataset = resource.export(Visit.objects.filter(visited_on__year=YEAR))
    Path(out).write_bytes(dataset.export("xlsx"))
    return time.perf_counter() - started, time.process_time() - cpu_started


# --- parent -----------------------------------------------------------------------------------


def prepare(n, members):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from branches.models import Organisation
    from exhibitions.models import EducationBase
    from members.models import Member
    from visits.models import Visit

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        # Once: the members demo would trip over the benchmark's members (no dues base).
        call_command("load_demo", verbosity=0)
    bases = []
    for slug, name, kind, county in BASES:
        base, _created = EducationBase.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "county": county}
        )
        bases.append(base)
    # The visits are one deterministic sequence: a bigger size keeps the smaller one's rows.
    existing = Visit.objects.filter(visited_on__year=YEAR).count()
    if existing > n:
        # Raw SQL: Django's delete() would load every row and write a history row for each.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM visits_visit WHERE visited_on BETWEEN %s AND %s",
                [datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)],
            )
        existing = 0
    batch = []
    for index, (day, base, group, category, headcount, source) in enumerate(visit_values(n)):
        if index < existing:
            continue
        batch.append(
            Visit(
                base=bases[base],
                visited_on=day,
                group_name=group,
                category=category,
                headcount=headcount,
                source=source,
            )
        )
        if len(batch) == 5000:
            Visit.objects.bulk_create(batch)
            batch = []
    Visit.objects.bulk_create(batch)
    if Member.objects.count() < members:
        organisations = list(Organisation.objects.filter(kind="branch"))
        rng = random.Random(f"{SEED}:members")
        Member.objects.bulk_create(
            (
                Member(
                    name=f"党员{i:05d}",
                    gender=rng.choice("MF"),
                    birth_date=datetime.date(
                        1930 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    id_number=f"1407{i:013d}X",
                    joined_on=datetime.date(1950 + rng.randrange(70), 7, 1),
                    employment=rng.choice(["in_service", "lixiu", "retired"]),
                    organisation=organisations[i % len(organisations)],
                )
                for i in range(Member.objects.count(), members)
            ),
            batch_size=5000,
        )


def run_child(kind, n, out):
    command = [sys.executable, __file__, "--child", kind, "--rows", str(n), "--out", str(out)]
    result = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[125_000, 250_000])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--skip-import-export", action="store_true")
    parser.add_argument("--child", choices=["a", "b", "o", "c"])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--out")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    if args.child:
        seconds, cpu = {
            "a": lambda: child_report(args.out),
            "b": lambda: child_floor(args.rows, args.out),
            "o": lambda: child_floor_openpyxl(args.rows, args.out),
            "c": lambda: child_import_export(args.out),
        }[args.child]()
        print(
            json.dumps(
                {
                    "seconds": round(seconds, 2),
                    "cpu": round(cpu, 2),
                    "peak_mib": round(peak_mib(), 1),
                }
            )
        )
        return

    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        prepare_started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", f"import bench.report as b; b.prepare({n}, {args.members})"],
            check=True,
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        )
        print(f"{n:,} visits ready in {time.perf_counter() - prepare_started:.0f} s", flush=True)
        row = {"visits": n}
        kinds = ["a", "b", "o"] if args.skip_import_export else ["a", "b", "o", "c"]
        for kind in kinds:
            row[kind] = run_child(kind, n, OUT / f"{kind}-{n}.xlsx")
            print(f"  ({kind}) {row[kind]}", flush=True)
        results.append(row)

    print()
    print(
        "| visits | (a) report s (CPU s) | (a) peak MiB | (b) XlsxWriter floor s (CPU s) "
        "| (b) peak MiB | (o) openpyxl floor s (CPU s) | (o) peak MiB "
        "| (c) import-export s (CPU s) | (c) peak MiB | a/b CPU | c/a CPU | c/a wall |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in results:
        a, b, o, c = row["a"], row["b"], row["o"], row.get("c")
        cells = [
            f"{row['visits']:,}",
            f"{a['seconds']} ({a['cpu']})",
            a["peak_mib"],
            f"{b['seconds']} ({b['cpu']})",
            b["peak_mib"],
            f"{o['seconds']} ({o['cpu']})",
            o["peak_mib"],
            f"{c['seconds']} ({c['cpu']})" if c else "—",
            c["peak_mib"] if c else "—",
            f"{a['cpu'] / b['cpu']:.2f}",
            f"{c['cpu'] / a['cpu']:.1f}" if c else "—",
            f"{c['seconds'] / a['seconds']:.1f}" if c else "—",
        ]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")


if __name__ == "__main__":
    main()
