"""The visit summary (`VisitSummary`): totals per base, day, category, source and activity,
which the statistics read instead of the visits themselves.

Every write of a visit, whoever makes it (a service, the admin, an import, a meeting deleted
with its visit), recomputes the rows of the base and day it touched, in its own transaction:
the signals below are the one place that catches them all. Bulk writes send no signals (the
demo, a benchmark's generator): they call `rebuild()`, as the `rebuild_visit_summary` command
does.
"""

import contextlib
import datetime
import threading

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from exhibitions.models import EducationBase

from .models import Visit, VisitMonthSummary, VisitSummary

_state = threading.local()


@contextlib.contextmanager
def rebuilt_after():
    """Bulk work on visits (the demo, a benchmark): no refresh per visit, one rebuild after."""
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False
    rebuild()


def _paused():
    return getattr(_state, "paused", False)


def _insert(where="", params=()):
    """Writes the summary rows of the visits matching `where` (SQL on the visit table `v`) with
    two INSERT … SELECT: the totals, then the totals per activity. The database aggregates and
    writes; no row comes through Python. Written in date order, so a range of days reads few
    pages (a rebuild's rows of one day otherwise lie all over the table)."""
    summary = connection.ops.quote_name(VisitSummary._meta.db_table)
    visit = connection.ops.quote_name(Visit._meta.db_table)
    links = connection.ops.quote_name(Visit.activities.through._meta.db_table)
    columns = "base_id, day, category, source, activity_id, visits, visitors"
    keys = "v.base_id, v.visited_on, v.category, v.source"
    where = f"WHERE {where}" if where else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {summary} ({columns}) "
            f"SELECT {keys}, NULL, COUNT(*), SUM(v.headcount) FROM {visit} v {where} "
            f"GROUP BY {keys} ORDER BY v.visited_on",
            params,
        )
        cursor.execute(
            f"INSERT INTO {summary} ({columns}) "
            f"SELECT {keys}, a.activity_id, COUNT(*), SUM(v.headcount) FROM {visit} v "
            f"JOIN {links} a ON a.visit_id = v.id {where} "
            f"GROUP BY {keys}, a.activity_id ORDER BY v.visited_on",
            params,
        )


def _delete(rows):
    # One DELETE, no row fetched and no signal per row: nothing points at summary rows, and the
    # visit whose write led here has already told the page cache (ops.cache) that visits changed.
    rows._raw_delete(rows.db)


@transaction.atomic
def refresh(pairs):
    """Recomputes the summary of each (base pk, day) in `pairs`."""
    pairs = {(base, day) for base, day in pairs if base is not None and day is not None}
    if not pairs:
        return
    # Two writers of the same base wait for each other, so neither deletes the other's rows.
    list(
        EducationBase.objects.select_for_update()
        .filter(pk__in=sorted({base for base, _day in pairs}))
        .values_list("pk", flat=True)
    )
    where = Q()
    for base, day in pairs:
        where |= Q(base_id=base, day=day)
    _delete(VisitSummary.objects.filter(where))
    _insert(
        " OR ".join(["(v.base_id = %s AND v.visited_on = %s)"] * len(pairs)),
        [value for pair in sorted(pairs) for value in pair],
    )
    _months({(base, day.replace(day=1)) for base, day in pairs})


def _months(pairs=None):
    """Rewrites the monthly rows of each (base pk, first day of a month) in `pairs` (every month
    when None) from the daily rows: a few thousand rows at most, through the ORM."""
    months, days = Q(), Q()
    for base, month in pairs or ():
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        months |= Q(base_id=base, month=month)
        days |= Q(base_id=base, day__gte=month, day__lt=following)
    if pairs is not None and not pairs:
        return
    _delete(VisitMonthSummary.objects.filter(months))
    daily = (
        VisitSummary.objects.filter(days)
        .annotate(month=TruncMonth("day"))
        .values_list("base", "month", "category", "source", "activity")
        .annotate(n=Sum("visits"), people=Sum("visitors"))
        .order_by()
    )
    VisitMonthSummary.objects.bulk_create(
        (
            VisitMonthSummary(
                base_id=base,
                month=month,
                category=category,
                source=source,
                activity_id=activity,
                visits=n,
                visitors=people,
            )
            for base, month, category, source, activity, n, people in daily.iterator(10000)
        ),
        batch_size=5000,
    )


@transaction.atomic
def rebuild():
    """Recomputes the whole summary from the visits; returns the number of rows."""
    _delete(VisitSummary.objects.all())
    _insert()
    _months()
    return VisitSummary.objects.count()


def _remember_old_place(sender, instance, raw=False, **kwargs):
    instance._summary_was = None
    if instance.pk and not raw and not _paused():
        instance._summary_was = (
            Visit.objects.filter(pk=instance.pk).values_list("base_id", "visited_on").first()
        )


def _saved(sender, instance, raw=False, **kwargs):
    if raw or _paused():
        return
    was = getattr(instance, "_summary_was", None) or (None, None)
    refresh([(instance.base_id, instance.visited_on), was])


def _deleted(sender, instance, **kwargs):
    if not _paused():
        refresh([(instance.base_id, instance.visited_on)])


def _activities_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or _paused():
        return
    if not reverse:
        refresh([(instance.base_id, instance.visited_on)])
    elif pk_set:
        # An activity's visits changed from the activity's side.
        refresh(Visit.objects.filter(pk__in=pk_set).values_list("base_id", "visited_on"))


def connect():
    post_save.connect(_saved, sender=Visit, dispatch_uid="visits_summary_saved")
    pre_save.connect(_remember_old_place, sender=Visit, dispatch_uid="visits_summary_pre")
    post_delete.connect(_deleted, sender=Visit, dispatch_uid="visits_summary_deleted")
    m2m_changed.connect(
        _activities_changed, sender=Visit.activities.through, dispatch_uid="visits_summary_m2m"
    )
