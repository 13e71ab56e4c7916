"""The demo, built once per test session and put back in a moment wherever a test needs it.

`load_demo` takes several seconds at scale 1, and a dozen test modules read the whole demo. The
session builds it once (`take`), inside a transaction it then rolls back, keeping every row it
added and the files it wrote; `restore` writes those rows back in bulk into the
caller's transaction (the demo itself writes in bulk, without signals) and gives the caller its
own copy of the files, so a test that changes the demo never changes it for the next one.
Rows are inserted raw, as `loaddata` does: `auto_now` fields keep the demo's values.
"""

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

from core.demo import load_demo
from core.signals import data_replaced


@dataclass
class Snapshot:
    rows: list  # [(model, [instances])], in the order of apps.get_models
    media: Path
    # What migrations had put in place when the demo was taken ({model: primary keys}): a
    # live_server test flushes the database, and the content types and permissions Django puts
    # back come with new keys, which the demo's rows no longer match.
    baseline: dict = field(default_factory=dict)


def _baseline(models):
    found = {}
    for model in models:
        keys = frozenset(model._base_manager.values_list("pk", flat=True))
        if keys:
            found[model] = keys
    return found


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def take(media):
    """Loads the demo at scale 1 with MEDIA_ROOT at `media` and returns what it added."""
    models = _models()
    with override_settings(MEDIA_ROOT=media), transaction.atomic():
        # Migrations put groups, permissions and content types in place: those are not the demo's.
        before = _baseline(models)
        load_demo(scale=1)
        rows = []
        for model in models:
            kept = before.get(model, frozenset())
            added = [o for o in model._base_manager.order_by("pk") if o.pk not in kept]
            if added:
                rows.append((model, added))
        transaction.set_rollback(True)
    return Snapshot(rows=rows, media=Path(media), baseline=before)


def restore(snapshot, media):
    """Writes the demo's rows into the current database and its files under `media`, which the
    caller makes MEDIA_ROOT. After a flush left other keys than the demo was taken over, the
    demo is taken again over what is there now (once, then reused)."""
    if _baseline(snapshot.baseline) != snapshot.baseline:
        fresh = take(tempfile.mkdtemp(prefix="demo-media-"))
        snapshot.rows, snapshot.media, snapshot.baseline = fresh.rows, fresh.media, fresh.baseline
    shutil.copytree(snapshot.media, media, dirs_exist_ok=True)
    # One transaction, so foreign keys (deferred) are checked once every table is back, also
    # under live_server, where the caller's test is not wrapped in one.
    with transaction.atomic():
        for model, objects in snapshot.rows:
            fields = model._meta.local_concrete_fields
            size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
            for start in range(0, len(objects), size):
                model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)
        # Rows came back with their primary keys; PostgreSQL's sequences must move past them.
        statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in snapshot.rows])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    data_replaced.send(sender=restore)
