"""Benchmark of the visitor statistics with a million visits (docs/performance.md).

    DJANGO_DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_visits \\
        .venv/bin/python bench/visits.py --visits 1000000

Migrates the database, then (once; a rerun with the same count reuses the rows) loads exactly
`--visits` visits spread over 2021–2026 at 21 bases, with one or two activities each, through
PostgreSQL's COPY (a benchmark database, never the demo: no history rows). Then it measures,
best of `--repeat` runs after a warm-up, with the number of queries of each:
- selectors.statistics() for every year and for one year;
- the staff statistics page and the public statistics page (Django's test client, full render);
- the Visit admin changelist (first page, and filtered by a year).
The statistics read the summary table (`visits.summary`), rebuilt after the load; the page
cache is off (`PORTAL_PAGE_CACHE = False`), so every figure is uncached.
Results are printed as a Markdown table for docs/performance.md.
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

SEED = 20240701
FIRST = datetime.date(2021, 1, 1)
LAST = datetime.date(2026, 11, 28)


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bases():
    from exhibitions.models import ConstructionMilestone, EducationBase
    from exhibitions.services import activities_ensure

    activities = activities_ensure()
    made = []
    kinds = ["independent"] * 9 + ["joint"] * 4 + ["sub_base"] * 8
    counties = ["yuci", "taigu", "jiexiu", "qixian", "pingyao", "lingshi", "shouyang"]
    for i, kind in enumerate(kinds):
        base, _created = EducationBase.objects.get_or_create(
            slug=f"bench-{i:02d}",
            defaults={"name": f"基准测试基地{i:02d}", "kind": kind, "county": counties[i % 7]},
        )
        ConstructionMilestone.objects.get_or_create(
            base=base, stage="opening", defaults={"reached_on": datetime.date(2020, 7, 1)}
        )
        base.activities.set(list(activities.values()))
        made.append(base.pk)
    return made, [a.pk for a in activities.values()]


def load(n, base_ids, activity_ids):
    from django.db import connection

    from visits.models import Visit

    if Visit.objects.count() == n:
        print(f"{n} visits already loaded")
        summarise()
        return
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE visits_visit_activities, visits_visit RESTART IDENTITY CASCADE")
    rng = random.Random(SEED)
    span = (LAST - FIRST).days
    categories = ["cadres", "students", "retired", "public"]
    sources = ["staff", "import", "check_in", "booking"]
    started = time.perf_counter()
    chunk = 200_000
    connection.ensure_connection()
    raw = connection.connection
    next_id = 1
    for start in range(0, n, chunk):
        visits, links = io.StringIO(), io.StringIO()
        for i in range(start, min(n, start + chunk)):
            day = FIRST + datetime.timedelta(days=rng.randrange(span))
            visits.write(
                f"{next_id}\t{rng.choice(base_ids)}\t{day}\t参观团{i:07d}\t"
                f"{rng.choice(categories)}\t{rng.randrange(5, 80)}\t\t\t{rng.choice(sources)}\t\\N\tf\n"
            )
            for activity in rng.sample(activity_ids, rng.choice([1, 1, 2])):
                links.write(f"{next_id}\t{activity}\n")
            next_id += 1
        visits.seek(0)
        links.seek(0)
        with raw.cursor() as cursor:
            cursor.copy_expert(
                "COPY visits_visit (id, base_id, visited_on, group_name, category, headcount, "
                "guide, notes, source, meeting_id, needs_review) FROM STDIN",
                visits,
            )
            cursor.copy_expert(
                "COPY visits_visit_activities (visit_id, activity_id) FROM STDIN", links
            )
        raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('visits_visit', 'id'), %s)", [next_id])
        cursor.execute("ANALYZE visits_visit")
        cursor.execute("ANALYZE visits_visit_activities")
    print(f"loaded {n} visits in {time.perf_counter() - started:.1f} s")
    summarise(force=True)


def summarise(force=False):
    """COPY sends no signals: the summary the statistics read is rebuilt as the command does."""
    from django.db import connection

    from visits import summary
    from visits.models import VisitSummary

    if not force and VisitSummary.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE visits_visitsummary")
            cursor.execute("ANALYZE visits_visitmonthsummary")
        return
    started = time.perf_counter()
    rows = summary.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE visits_visitsummary")
        cursor.execute("ANALYZE visits_visitmonthsummary")
    print(f"rebuilt the summary ({rows} rows) in {time.perf_counter() - started:.1f} s")


def measure(label, fn, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times = []
    queries = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return label, min(times), queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from visits import selectors
    from visits.models import Visit

    setup_test_environment()
    settings.PORTAL_PAGE_CACHE = False  # uncached: every page aggregates
    base_ids, activity_ids = bases()
    load(args.visits, base_ids, activity_ids)
    user, _created = get_user_model().objects.get_or_create(
        username="bench-root", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    public = Client(HTTP_HOST="localhost")

    def get(c, url):
        def run():
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    rows = [
        measure(
            "selectors.statistics(), 2021–2026",
            lambda: selectors.statistics(first_day=FIRST, last_day=LAST),
            args.repeat,
        ),
        measure(
            "selectors.statistics(), one year (2024)",
            lambda: selectors.statistics(
                first_day=datetime.date(2024, 1, 1), last_day=datetime.date(2024, 12, 31)
            ),
            args.repeat,
        ),
        measure(
            "GET /visits/statistics/ (all years)", get(client, "/visits/statistics/"), args.repeat
        ),
        measure(
            "GET /visits/statistics/?year=2024",
            get(client, "/visits/statistics/?year=2024"),
            args.repeat,
        ),
        measure(
            "GET /visits/statistics/?start=2022-03-15&end=2025-08-20 (edge days)",
            get(client, "/visits/statistics/?start=2022-03-15&end=2025-08-20"),
            args.repeat,
        ),
        measure(
            "GET /visits/statistics/public/", get(public, "/visits/statistics/public/"), args.repeat
        ),
        measure(
            "GET /visits/statistics/public/?year=2024",
            get(public, "/visits/statistics/public/?year=2024"),
            args.repeat,
        ),
        measure("GET /admin/visits/visit/", get(client, "/admin/visits/visit/"), args.repeat),
        measure(
            "GET /admin/visits/visit/?visited_on__year=2024",
            get(client, "/admin/visits/visit/?visited_on__year=2024"),
            args.repeat,
        ),
    ]
    total = Visit.objects.count()
    print(f"\n{total:,} visits\n")
    print(f"| what | best of {args.repeat} | queries |")
    print("|---|---:|---:|")
    for label, seconds, queries in rows:
        print(f"| {label} | {seconds * 1000:.0f} ms | {queries} |")


if __name__ == "__main__":
    main()
