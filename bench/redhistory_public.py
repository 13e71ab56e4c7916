"""Times the public red-memory pages at volume and counts their queries (docs/performance.md).

    DJANGO_DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_rm \\
        .venv/bin/python bench/redhistory_public.py --stories 5000

The data is bulk-created once into an empty database (veterans = stories / 2, artefacts = stories,
five segments and a 3,000-character transcript with one restricted passage per story); a second run
reuses it. Each page is fetched once to warm up, then three times; the best time is printed.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

COUNTIES = ["yuci", "taigu", "jiexiu", "qixian", "pingyao", "lingshi", "shouyang", "xiyang"]
WORDS = [
    "百团大战",
    "太行山",
    "游击",
    "上甘岭",
    "长津湖",
    "家书",
    "军装",
    "纪念章",
    "修水库",
    "开荒",
    "支前",
    "担架",
    "运输队",
    "地道战",
]


def build(stories):
    from django.utils import timezone

    from redhistory.models import (
        Artefact,
        OralHistory,
        Release,
        Segment,
        Veteran,
        VeteranService,
    )

    rng = random.Random(1)
    veterans = Veteran.objects.bulk_create(
        Veteran(
            name=f"老兵{i}",
            gender="M",
            birth_year=1925 + i % 10,
            county=COUNTIES[i % len(COUNTIES)],
            biography="参加" + rng.choice(WORDS) + "。" * 50,
            public_profile=i % 3 != 0,
        )
        for i in range(stories // 2)
    )
    VeteranService.objects.bulk_create(
        VeteranService(veteran=v, war=rng.choice(["anti_japanese", "liberation", "korea"]))
        for v in veterans
    )
    Artefact.objects.bulk_create(
        Artefact(
            accession_number=f"HS-2001-{i:05d}",
            name=rng.choice(WORDS) + f"物件{i}",
            category="medal",
            war="korea",
            donor=veterans[i % len(veterans)],
            story="故事" + rng.choice(WORDS) * 20,
            published=i % 4 != 0,
        )
        for i in range(stories)
    )
    now = timezone.now()
    made = OralHistory.objects.bulk_create(
        OralHistory(
            title=rng.choice(WORDS) + f"口述{i}",
            narrator=veterans[i % len(veterans)],
            summary=rng.choice(WORDS) * 5,
            transcript=("那年我们在" + rng.choice(WORDS) + "。") * 300
            + "[restricted]番号[/restricted]",
            theme=rng.choice(["battle", "mission", "event"]),
            period=rng.choice(["revolution", "construction", "reform"]),
            status="published" if i % 5 else "draft",
            published_at=now,
        )
        for i in range(stories)
    )
    Release.objects.bulk_create(
        Release(oral_history=s, scope="public" if i % 7 else "internal") for i, s in enumerate(made)
    )
    Segment.objects.bulk_create(
        Segment(oral_history=s, start_seconds=j * 60, title=rng.choice(WORDS))
        for s in made
        for j in range(5)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=5000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from redhistory.models import OralHistory

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if not OralHistory.objects.exists():
        build(options.stories)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    pages = {
        "column front page": "/red-memory/",
        "stories": "/red-memory/oral-histories/",
        "stories, 3 filters": "/red-memory/oral-histories/?war=korea&theme=battle&county=yuci",
        "stories, search 家书": "/red-memory/oral-histories/?q=家书",
        "search 家书": "/red-memory/search/?q=家书",
        "search 百团大战": "/red-memory/search/?q=百团大战",
        "artefacts by war": "/red-memory/artefacts/?war=korea",
        "veterans": "/red-memory/veterans/",
        "feed": "/red-memory/oral-histories/feed/",
        "a story": OralHistory.objects.public().first().get_absolute_url(),
    }
    client = Client()
    print(connection.vendor, "public stories:", OralHistory.objects.public().count())
    for name, url in pages.items():
        client.get(url)
        best = float("inf")
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        print(f"{name:24s} {len(queries):3d} queries {best * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
