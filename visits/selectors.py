"""Reads for visits/: the statistics, aggregated in the database in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitions.models import Activity, County, EducationBase

from .models import Booking, Closure, Visit, VisitMonthSummary, VisitSummary

# Years offered in the statistics form before the first recorded visit.
FIRST_YEAR = 2018


@dataclass
class Row:
    key: object
    label: str
    visits: int = 0
    visitors: int = 0


@dataclass
class Statistics:
    """Visits and visitors in a date range, totalled every way the bureau reports them."""

    first_day: datetime.date
    last_day: datetime.date
    visits: int = 0
    visitors: int = 0
    by_year: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_kind: list = field(default_factory=list)
    by_county: list = field(default_factory=list)
    by_base: list = field(default_factory=list)
    by_activity: list = field(default_factory=list)
    by_source: list = field(default_factory=list)
    # {category: {year: visitors}} for the stacked chart
    category_by_year: dict = field(default_factory=dict)
    # [{label, cells (visitors per category), total, shared}] by kind of base
    kind_category: list = field(default_factory=list)

    def category_labels(self):
        return [label for _value, label in Visit.Category.choices]

    def chart_data(self, *, with_bases=True, with_sources=True):
        """Plain numbers and labels for the charts (json_script), nothing else."""

        def pairs(rows):
            return {
                "labels": [str(r.label) for r in rows],
                "visitors": [r.visitors for r in rows],
            }

        years = [r.key for r in self.by_year]
        data = {
            "year": pairs(self.by_year),
            "month": pairs(self.by_month),
            "category": pairs(self.by_category),
            "kind": pairs(self.by_kind),
            "county": pairs(self.by_county),
            "activity": pairs(self.by_activity),
            "stack": {
                "years": [str(y) for y in years],
                "series": [
                    {
                        "name": str(Visit.Category(category).label),
                        "data": [per_year.get(y, 0) for y in years],
                    }
                    for category, per_year in self.category_by_year.items()
                ],
            },
        }
        if with_bases:
            data["base"] = pairs(self.by_base)
        if with_sources:
            data["source"] = pairs(self.by_source)
        return data


def year_range():
    """(first year, last year) the statistics form offers: from the first visit to this year."""
    this_year = timezone.localdate().year
    first = Visit.objects.aggregate(first=Min("visited_on"))["first"]
    return (min(first.year, FIRST_YEAR) if first else FIRST_YEAR), this_year


def statistics(*, first_day, last_day, bases=None, public_only=False):
    """Totals of visits and visitors from `first_day` to `last_day`, inclusive.

    `bases`, a queryset of bases, narrows the visits (a base administrator's own); `public_only`
    keeps to bases the public may see. Five queries, whatever the number of visits: bases,
    (year, month, category), (base, category, source), (activity), and the activity names;
    three more when the range has days outside whole months.
    """
    base_qs = EducationBase.objects.all()
    if bases is not None:
        base_qs = base_qs.filter(pk__in=bases.values("pk"))
    if public_only:
        base_qs = base_qs.public()
    base_list = list(base_qs.order_by("kind", "name").values("pk", "name", "kind", "county"))
    stats = Statistics(first_day=first_day, last_day=last_day)
    # The summary (visits.summary), not the visits: whole months from the monthly rows, the days
    # at the edges of the range from the daily rows (docs/performance.md). A range of whole
    # months (a year, every year) reads no daily row.
    parts = _summary_parts(first_day, last_day)
    if bases is not None or public_only:
        # The pks as a list, not a subquery: PostgreSQL plans a correlated `public()` subquery
        # per row; a few dozen constants cost nothing.
        pks = [base["pk"] for base in base_list]
        parts = [(rows.filter(base_id__in=pks), day) for rows, day in parts]

    years, months, categories = {}, {}, {}
    category_by_year = {c: {} for c in Visit.Category.values}
    per_base, per_base_category, sources = {}, {}, {}
    activities = {}
    for rows, day in parts:
        totals = rows.filter(activity__isnull=True)
        by_ymc = (
            totals.annotate(year=ExtractYear(day), month_number=ExtractMonth(day))
            .values_list("year", "month_number", "category")
            .annotate(n=Sum("visits"), people=Sum("visitors"))
            .order_by()
        )
        for year, month, category, n, people in by_ymc:
            _add(years, year, n, people)
            _add(months, month, n, people)
            _add(categories, category, n, people)
            category_by_year[category][year] = category_by_year[category].get(year, 0) + people
            stats.visits += n
            stats.visitors += people
        by_bcs = (
            totals.values_list("base", "category", "source")
            .annotate(n=Sum("visits"), people=Sum("visitors"))
            .order_by()
        )
        for base, category, source, n, people in by_bcs:
            _add(per_base, base, n, people)
            _add(per_base_category, (base, category), n, people)
            _add(sources, source, n, people)
        by_activity = (
            rows.filter(activity__isnull=False)
            .values_list("activity")
            .annotate(n=Sum("visits"), people=Sum("visitors"))
            .order_by()
        )
        for activity, n, people in by_activity:
            _add(activities, activity, n, people)

    kinds, counties, kind_category = {}, {}, {}
    for base in base_list:
        n, people = per_base.get(base["pk"], (0, 0))
        _add(kinds, base["kind"], n, people)
        _add(counties, base["county"], n, people)
        for category in Visit.Category.values:
            n, people = per_base_category.get((base["pk"], category), (0, 0))
            _add(kind_category, (base["kind"], category), n, people)
    stats.kind_category = _kind_category_rows(kind_category)

    first_year, last_year = first_day.year, last_day.year
    stats.by_year = [
        Row(y, str(y), *years.get(y, (0, 0))) for y in range(first_year, last_year + 1)
    ]
    stats.by_month = [Row(m, str(m), *months.get(m, (0, 0))) for m in range(1, 13)]
    stats.by_category = [
        Row(v, label, *categories.get(v, (0, 0))) for v, label in Visit.Category.choices
    ]
    stats.by_kind = [
        Row(v, label, *kinds.get(v, (0, 0))) for v, label in EducationBase.Kind.choices
    ]
    stats.by_county = [Row(v, label, *counties.get(v, (0, 0))) for v, label in County.choices]
    stats.by_source = [Row(v, label, *sources.get(v, (0, 0))) for v, label in Visit.Source.choices]
    stats.by_base = [Row(b["pk"], b["name"], *per_base.get(b["pk"], (0, 0))) for b in base_list]
    stats.by_activity = [
        Row(a.pk, a.name, *activities.get(a.pk, (0, 0))) for a in Activity.objects.all()
    ]
    stats.category_by_year = category_by_year
    return stats


def _summary_parts(first_day, last_day):
    """[(summary rows, name of their date field)] covering `first_day`–`last_day`: the monthly
    rows of the whole months inside, and the daily rows of the days outside them (if any)."""
    first_month = first_day if first_day.day == 1 else _next_month(first_day)
    after_last = last_day + datetime.timedelta(days=1)
    end_month = after_last if after_last.day == 1 else after_last.replace(day=1)
    if first_month >= end_month:
        return [(VisitSummary.objects.filter(day__range=(first_day, last_day)), "day")]
    parts = [
        (
            VisitMonthSummary.objects.filter(month__gte=first_month, month__lt=end_month),
            "month",
        )
    ]
    edges = Q()
    if first_day < first_month:
        edges |= Q(day__gte=first_day, day__lt=first_month)
    if end_month <= last_day:
        edges |= Q(day__gte=end_month, day__lte=last_day)
    if edges:
        parts.append((VisitSummary.objects.filter(edges), "day"))
    return parts


def _next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _kind_category_rows(totals):
    """Visitors by kind of base (rows) and category (columns), with the shared bases
    (independent + joint) together, as FACTS.md reports them, and a total row."""
    kinds = EducationBase.Kind
    categories = Visit.Category.values

    def row(label, kind_values, shared=False):
        cells = [sum(totals.get((k, c), (0, 0))[1] for k in kind_values) for c in categories]
        return {"label": label, "cells": cells, "total": sum(cells), "shared": shared}

    return [
        row(kinds.INDEPENDENT.label, [kinds.INDEPENDENT]),
        row(kinds.JOINT.label, [kinds.JOINT]),
        row(
            _("shared bases (independent and jointly built)"),
            [kinds.INDEPENDENT, kinds.JOINT],
            True,
        ),
        row(kinds.SUB_BASE.label, [kinds.SUB_BASE]),
        row(_("all bases"), kinds.values),
    ]


def _add(totals, key, n, people):
    visits, visitors = totals.get(key, (0, 0))
    totals[key] = (visits + n, visitors + (people or 0))


def booking_lookup(*, reference, phone):
    """The booking with this code whose phone number matches, or None (never says which
    of the two was wrong)."""
    from .models import phone_digest

    return (
        Booking.objects.select_related("base")
        .prefetch_related("activities")
        .filter(reference=reference.strip().upper(), phone_hash=phone_digest(phone))
        .first()
    )


def bookable_bases():
    """Public bases taking bookings, for the booking start page."""
    return EducationBase.objects.public().filter(bookings_open=True).order_by("kind", "name")


def latest_visit_day():
    return Visit.objects.aggregate(last=Max("visited_on"))["last"]


def unmarked_bookings(user, *, today=None):
    """Approved bookings of the user's bases whose day has passed with neither a visit nor a
    no-show recorded: reminders for the base (the admin workbench lists them)."""
    return (
        Booking.objects.for_user(user)
        .filter(status=Booking.Status.APPROVED, visit_on__lt=today or timezone.localdate())
        .select_related("base")
        .order_by("visit_on", "slot")
    )


@dataclass
class SlotPlaces:
    slot: str
    label: str
    left: int

    @property
    def full(self):
        return self.left <= 0


@dataclass
class Day:
    day: datetime.date
    slots: list
    closed_reason: str = ""

    @property
    def bookable(self):
        return not self.closed_reason and any(not s.full for s in self.slots)


def availability(base, *, first_day, last_day):
    """Each day from `first_day` to `last_day` at `base`: closed (and why), or its slots with
    the places left (capacity less the bookings awaiting approval or approved). Two queries."""
    taken = {
        (day, slot): people
        for day, slot, people in Booking.objects.holding_places()
        .filter(base=base, visit_on__range=(first_day, last_day))
        .values_list("visit_on", "slot")
        .annotate(people=Sum("headcount"))
        .order_by()
    }
    closures = list(Closure.objects.filter(base=base).covering(first_day, last_day))
    closed_weekday = _("closed (weekly closing day)")
    days = []
    day = first_day
    while day <= last_day:
        reason = ""
        if not base.is_open_on(day):
            reason = str(closed_weekday)
        else:
            for closure in closures:
                if closure.first_day <= day <= closure.last_day:
                    reason = closure.reason
                    break
        slots = [
            SlotPlaces(
                value, str(label), max(base.capacity_per_slot - taken.get((day, value), 0), 0)
            )
            for value, label in Booking.Slot.choices
        ]
        days.append(Day(day, slots, reason))
        day += datetime.timedelta(days=1)
    return days


def day_sheet(user, *, today=None):
    """The groups expected at the user's bases today and tomorrow (approved bookings, and those
    still awaiting a decision), by base, day and slot, for the base administrator's printout."""
    today = today or timezone.localdate()
    return (
        Booking.objects.for_user(user)
        .filter(
            visit_on__range=(today, today + datetime.timedelta(days=1)),
            status__in=[Booking.Status.APPROVED, Booking.Status.PENDING, Booking.Status.VISITED],
        )
        .select_related("base")
        .order_by("base__name", "visit_on", "slot", "group_name")
    )


def closures_ahead(user, *, today=None, days=1):
    """Closures of the user's bases that cover a day from today to `days` days later."""
    today = today or timezone.localdate()
    return (
        Closure.objects.for_user(user)
        .covering(today, today + datetime.timedelta(days=days))
        .select_related("base")
    )
