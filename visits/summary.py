"""The visit summary (`VisitSummary`): totals per base, day, category, source and activity,
which the statistics read instead of the visits themselves.

Every write of a visit, whoever makes it (a service, the admin, an import, a meeting deleted
with its visit), recomputes the rows of the base and day it touched, in its own transaction:
the signals below are the one place that catches them all. Bulk writes send no signals (the
demo, a benchmark's generator): they call `rebuild()`, as the `rebuild_visit_summary` command
does.
"""

import contextlib
import threading

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from exhibitions.models import EducationBase

from .models import Visit, VisitSummary

BATCH = 5000
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


def _rows(visits):
    """Summary rows (unsaved) for a queryset of visits."""
    rows = [
        VisitSummary(
            base_id=base, day=day, category=category, source=source, visits=n, visitors=people
        )
        for base, day, category, source, n, people in visits.values_list(
            "base", "visited_on", "category", "source"
        )
        .annotate(n=Count("pk"), people=Sum("headcount"))
        .order_by()
    ]
    rows += [
        VisitSummary(
            base_id=base,
            day=day,
            category=category,
            source=source,
            activity_id=activity,
            visits=n,
            visitors=people,
        )
        for base, day, category, source, activity, n, people in visits.filter(
            activities__isnull=False
        )
        .values_list("base", "visited_on", "category", "source", "activities")
        .annotate(n=Count("pk"), people=Sum("headcount"))
        .order_by()
    ]
    return rows


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
    visits = Visit.objects.filter(
        Q(*[Q(base_id=base, visited_on=day) for base, day in pairs], _connector=Q.OR)
    )
    VisitSummary.objects.bulk_create(_rows(visits), batch_size=BATCH)


@transaction.atomic
def rebuild():
    """Recomputes the whole summary from the visits; returns the number of rows."""
    _delete(VisitSummary.objects.all())
    rows = _rows(Visit.objects.all())
    VisitSummary.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


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
