"""Reads for branches/: the yearly meeting view and the reminders, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from .models import EXPECTED_FOR_KINDS, EXPECTED_PERIODS, Meeting, Organisation, Term


def quarter_of(day):
    return (day.month - 1) // 3 + 1


def months_in_period(periods):
    return 12 // periods


def periods_finished(periods, year, today):
    """How many of a year's periods (months, quarters, the year) have ended by `today`."""
    if year < today.year:
        return periods
    if year > today.year:
        return 0
    return (today.month - 1) // months_in_period(periods)


@dataclass
class KindRow:
    kind: str
    label: str
    expected: int | None
    months: list = field(default_factory=lambda: [0] * 12)
    # Months of a finished period in which the kind was due and not held.
    missing_months: set = field(default_factory=set)
    due_so_far: int = 0

    @property
    def held(self):
        return sum(self.months)

    @property
    def missing(self):
        """Periods already over without a meeting of this kind."""
        return len(self.missing_months)

    def cells(self):
        return [
            (count, month + 1 in self.missing_months) for month, count in enumerate(self.months)
        ]


@dataclass
class OrganisationYear:
    organisation: Organisation
    year: int
    rows: list

    @property
    def bound(self):
        return self.organisation.kind in EXPECTED_FOR_KINDS

    @property
    def missing(self):
        return sum(row.missing for row in self.rows)

    @property
    def held(self):
        return sum(row.held for row in self.rows)


def yearly_meetings(*, organisations, year, today=None):
    """For each organisation, how many meetings of each kind were held in each month of `year`,
    against the expected frequency. One query for the counts, whatever the number of meetings."""
    today = today or timezone.localdate()
    organisations = list(organisations.order_by("code"))
    counts = defaultdict(lambda: [0] * 12)
    rows = (
        Meeting.objects.filter(organisation__in=[o.pk for o in organisations], held_on__year=year)
        .annotate(month=ExtractMonth("held_on"))
        .values_list("organisation", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for organisation, kind, month, n in rows:
        counts[(organisation, kind)][month - 1] += n
    result = []
    for organisation in organisations:
        bound = organisation.kind in EXPECTED_FOR_KINDS
        kind_rows = []
        for kind, label in Meeting.Kind.choices:
            periods = EXPECTED_PERIODS[kind]
            row = KindRow(kind=kind, label=label, expected=periods if bound else None)
            row.months = counts[(organisation.pk, kind)]
            if bound:
                span = months_in_period(periods)
                finished = periods_finished(periods, year, today)
                row.due_so_far = finished
                for period in range(finished):
                    first = period * span
                    if not any(row.months[first : first + span]):
                        # Mark the period's last month: that is when it ran out.
                        row.missing_months.add(first + span)
            kind_rows.append(row)
        result.append(OrganisationYear(organisation=organisation, year=year, rows=kind_rows))
    return result


def missing_this_quarter(*, organisations, today=None):
    """{organisation pk: [(kind label, expected by quarter end, held so far)]} for this quarter.

    Monthly kinds are due three times a quarter, quarterly ones once; the yearly ones (组织生活会,
    民主评议党员) are listed in the last quarter if the year has none yet.
    """
    today = today or timezone.localdate()
    quarter = quarter_of(today)
    first_month = (quarter - 1) * 3 + 1
    start = datetime.date(today.year, first_month, 1)
    bound = [o for o in organisations if o.kind in EXPECTED_FOR_KINDS]
    held_quarter = defaultdict(int)
    held_year = defaultdict(int)
    rows = (
        Meeting.objects.filter(organisation__in=[o.pk for o in bound], held_on__year=today.year)
        .values_list("organisation", "kind", "held_on")
        .order_by()
    )
    for organisation, kind, held_on in rows:
        held_year[(organisation, kind)] += 1
        if held_on >= start:
            held_quarter[(organisation, kind)] += 1
    missing = {}
    for organisation in bound:
        items = []
        for kind, label in Meeting.Kind.choices:
            periods = EXPECTED_PERIODS[kind]
            if periods == 1:
                if quarter == 4 and not held_year[(organisation.pk, kind)]:
                    items.append((label, 1, 0))
                continue
            wanted = periods // 4
            held = held_quarter[(organisation.pk, kind)]
            if held < wanted:
                items.append((label, wanted, held))
        if items:
            missing[organisation.pk] = items
    return missing


def terms_due(*, organisations, today=None):
    """Current terms of these organisations falling due within six months, or overdue."""
    today = today or timezone.localdate()
    terms = Term.objects.filter(organisation__in=organisations).select_related("organisation")
    return {
        "due": list(terms.due_within(today).order_by("due_on")),
        "overdue": list(terms.overdue(today).order_by("due_on")),
    }


def reminders(*, organisations, today=None):
    """What each organisation should see to: terms due or overdue, meetings missing this quarter,
    and from members/: probations ending, dues in arrears, birthdays this month, care visits due.

    `organisations` is a list; a fixed number of queries, whatever the number of members.
    """
    from members import selectors as members_selectors  # allowed: tests/core/test_layering.py

    Member = apps.get_model("members", "Member")

    today = today or timezone.localdate()
    by_pk = {o.pk: o for o in organisations}
    terms = terms_due(organisations=list(by_pk), today=today)
    missing = missing_this_quarter(organisations=organisations, today=today)
    members = Member.objects.filter(organisation__in=list(by_pk))
    care = list(members_selectors.care_visits_due(members, today))
    for member in care:
        member.age_this_year = today.year - member.birth_date.year
    return {
        "terms_due": terms["due"],
        "terms_overdue": terms["overdue"],
        "meetings_missing": [(by_pk[pk], items) for pk, items in missing.items()],
        "quarter": quarter_of(today),
        "probations_ending": list(members_selectors.probations_ending(members, today)),
        "dues_in_arrears": members_selectors.dues_in_arrears(list(by_pk), today.year, today),
        "birthdays": list(members_selectors.birthdays_this_month(members, today)),
        "care_visits_due": care,
    }
