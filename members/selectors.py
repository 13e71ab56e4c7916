"""Reads for members/: rosters as they stood, reminders, dues register, care lists.

Each runs a fixed number of queries whatever the number of members.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import ExtractDay, ExtractYear

from core.dates import add_years

from .choices import HIGH_CARE_LEVELS
from .models import (
    CareVisit,
    DuesPayment,
    Member,
    MemberEvent,
    base_in_force,
    dues_amount,
    dues_rate,
)

CARE_MILESTONES = (80, 90, 100)
PROBATION_NOTICE_DAYS = 30
HONOUR_YEARS = 50  # 光荣在党50年


def roster_on(day, organisations=None):
    """The members on the roster on `day`, as it stood then, whatever has changed since.

    Read from the events: a member is on the roster if their latest entry or exit event up to
    `day` is an entry. Each member carries `organisation_on` (the pk of their organisation
    that day) and `full_on` (whether they were a full member). `organisations` (a queryset or
    list of Organisation) keeps those whose organisation that day was one of them.
    """
    up_to_day = MemberEvent.objects.filter(member=OuterRef("pk"), occurred_on__lte=day).order_by(
        "-occurred_on", "-pk"
    )
    members = (
        Member.objects.annotate(
            standing_on=Subquery(
                up_to_day.filter(kind__in=MemberEvent.ENTRIES + MemberEvent.EXITS).values("kind")[
                    :1
                ]
            ),
            organisation_on=Subquery(
                up_to_day.filter(to_organisation__isnull=False).values("to_organisation")[:1],
                output_field=IntegerField(),
            ),
        )
        .filter(standing_on__in=MemberEvent.ENTRIES)
        .annotate(
            full_on=Q(confirmed_on__lte=day)
            | Q(category=Member.Category.FULL, confirmed_on__isnull=True)
        )
    )
    if organisations is not None:
        members = members.filter(organisation_on__in=[getattr(o, "pk", o) for o in organisations])
    return members


def probations_ending(members, today):
    """Probationary members whose year of probation is over or ends within 30 days (预备期满)."""
    latest_joined = add_years(today + datetime.timedelta(days=PROBATION_NOTICE_DAYS), -1)
    return (
        members.current()
        .filter(category=Member.Category.PROBATIONARY, joined_on__lte=latest_joined)
        .select_related("organisation")
        .order_by("joined_on", "pk")
    )


def birthdays_this_month(members, today):
    """Current members born in `today`'s month, by day of the month; each carries `age_turning`."""
    return (
        members.current()
        .filter(birth_date__month=today.month)
        .annotate(
            birth_day=ExtractDay("birth_date"),
            age_turning=Value(today.year) - ExtractYear("birth_date"),
        )
        .select_related("organisation")
        .order_by("birth_day", "name", "pk")
    )


def turning_milestones(members, year):
    """Current members turning 80, 90 or 100 in `year`; each carries `age_turning`."""
    return (
        members.current()
        .filter(birth_date__year__in=[year - age for age in CARE_MILESTONES])
        .annotate(age_turning=Value(year) - ExtractYear("birth_date"))
        .select_related("organisation")
        .order_by("birth_date", "pk")
    )


def standing_honours(members, year):
    """Current members reaching 50 years of Party standing in `year` (光荣在党50年)."""
    first_year = year - HONOUR_YEARS
    return (
        members.current()
        .filter(
            Q(confirmed_on__year=first_year)
            | Q(
                confirmed_on__isnull=True,
                category=Member.Category.FULL,
                joined_on__year=first_year - 1,
            )
        )
        .select_related("organisation")
        .order_by("confirmed_on", "joined_on", "pk")
    )


def quarter_start(today):
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def care_visits_due(members, today):
    """Current members a visit is due to (关心关爱).

    - those turning 80, 90 or 100 this year and not yet visited this year;
    - those in a 三失 state (失能, 失语, 失忆) or at a moderate or severe care level, not visited
      this quarter.
    Each carries `age_turning` (80, 90, 100 or None), `needs_regular_care` and `last_visit_on`.
    """
    visits = CareVisit.objects.filter(member=OuterRef("pk"))
    turning = Q(birth_date__year__in=[today.year - age for age in CARE_MILESTONES])
    regular = (
        Q(disabled=True)
        | Q(speech_loss=True)
        | Q(memory_loss=True)
        | Q(care_level__in=HIGH_CARE_LEVELS)
    )
    visited_this_year = Exists(visits.filter(visited_on__year=today.year))
    visited_this_quarter = Exists(visits.filter(visited_on__gte=quarter_start(today)))
    return (
        members.current()
        .annotate(
            visited_this_year=visited_this_year,
            visited_this_quarter=visited_this_quarter,
            needs_regular_care=regular,
            last_visit_on=Subquery(visits.order_by("-visited_on").values("visited_on")[:1]),
        )
        .filter((turning & Q(visited_this_year=False)) | (regular & Q(visited_this_quarter=False)))
        .select_related("organisation")
        .order_by("organisation", "birth_date", "pk")
    )


@dataclass
class DuesRow:
    """A member's line of the dues register for a year.

    `months_due`: the months they owe, over by the register's day; `months_on_roster`: every
    month of the year they are on the roster (what may be paid, in advance too); `amounts`:
    month → the dues at the base in force that month (None without a base)."""

    member: Member
    months_due: list = field(default_factory=list)
    payments: dict = field(default_factory=dict)  # month: DuesPayment
    amounts: dict = field(default_factory=dict)  # month: Decimal or None
    months_on_roster: list = field(default_factory=list)

    @property
    def monthly(self):
        """The dues of the last month of the year on the roster, at its base."""
        return self.amounts.get(self.months_on_roster[-1]) if self.months_on_roster else None

    @property
    def paid(self):
        return sum((p.amount for p in self.payments.values()), Decimal("0.00"))

    @property
    def unpaid_months(self):
        return [month for month in self.months_due if month not in self.payments]

    @property
    def payable_months(self):
        """The months that may be ticked as paid: on the roster and not yet paid."""
        return [month for month in self.months_on_roster if month not in self.payments]

    def _sum(self, months):
        amounts = [self.amounts.get(month) for month in months]
        if any(amount is None for amount in amounts):
            return None
        return sum(amounts, Decimal("0.00"))

    @property
    def arrears(self):
        return self._sum(self.unpaid_months)

    @property
    def due(self):
        return self._sum(self.months_due)


def last_month_due(year, today):
    """The last month of `year` whose dues are due on `today` (0 for none): a month falls due
    when it ends, or on settings.PORTAL_DUES_DAY of the month where branches collect within it.
    Nobody is in arrears on the first of the month for a month that has just begun."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    day = settings.PORTAL_DUES_DAY
    if day and today.day >= day:
        return today.month
    return today.month - 1


def months_on_roster(member, year):
    """The months of `year` the member was on the bureau's roster: from the month they came onto
    it (joined or transferred in) to the month they left, and again from the month they
    transferred back in (组织关系转回), if they did."""
    entered = getattr(member, "entered_on", None) or member.joined_on
    left = getattr(member, "left_on", None)
    returned = getattr(member, "returned_on", None)
    periods = [(entered, left)]
    if left is not None and returned is not None and returned > left:
        periods.append((returned, None))
    months = set()
    for start, end in periods:
        if start.year > year or (end is not None and end.year < year):
            continue
        first = start.month if start.year == year else 1
        last = end.month if end is not None and end.year == year else 12
        months.update(range(first, last + 1))
    return sorted(months)


def months_due(member, year, today):
    """The months of `year` for which the member owes dues on `today`: their months on the
    roster that have fallen due (`last_month_due`). A member who left owes their months only."""
    last = last_month_due(year, today)
    return [month for month in months_on_roster(member, year) if month <= last]


def dues_register(organisations, year, today=None):
    """The dues register of `organisations` for `year`: a DuesRow per member who was on the
    roster of one of them at some time in the year, by organisation and name, each month priced
    at the base in force then. Three queries (members, their bases, payments), whatever their number."""
    today = today or datetime.date.today()
    events = MemberEvent.objects.filter(member=OuterRef("pk"))
    members = list(
        Member.objects.filter(organisation__in=organisations)
        .annotate(
            entered_on=Subquery(
                events.filter(kind__in=MemberEvent.ENTRIES)
                .order_by("occurred_on")
                .values("occurred_on")[:1]
            ),
            left_on=Subquery(
                events.filter(kind__in=MemberEvent.EXITS)
                .order_by("-occurred_on")
                .values("occurred_on")[:1]
            ),
            returned_on=Subquery(
                events.filter(kind__in=MemberEvent.ENTRIES)
                .order_by("-occurred_on")
                .values("occurred_on")[:1]
            ),
        )
        .select_related("organisation")
        .prefetch_related("dues_bases")
        .order_by("organisation__code", "name", "pk")
    )
    payments = defaultdict(dict)
    for payment in DuesPayment.objects.filter(member__in=[m.pk for m in members], year=year):
        payments[payment.member_id][payment.month] = payment
    rows = []
    for member in members:
        on_roster = months_on_roster(member, year)
        if not on_roster and not payments.get(member.pk):
            continue
        bases = list(member.dues_bases.all())
        amounts = {}
        for month in on_roster:
            base = base_in_force(bases, year, month, member.dues_base)
            amounts[month] = (
                None if base is None else dues_amount(base, dues_rate(member.employment, base))
            )
        due = months_due(member, year, today)
        rows.append(DuesRow(member, due, payments.get(member.pk, {}), amounts, on_roster))
    return rows


def dues_in_arrears(organisations, year, today=None):
    """The DuesRow of each member of `organisations` with months of `year` due and unpaid
    (`row.member`, `row.unpaid_months`, `row.arrears` in yuan or None without a dues base)."""
    return [row for row in dues_register(organisations, year, today) if row.unpaid_months]
