"""Reads for members/: rosters as they stood, reminders, dues register, care lists.

Each runs a fixed number of queries whatever the number of members.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import ExtractDay, ExtractYear

from core.dates import add_years

from .choices import HIGH_CARE_LEVELS
from .models import CareVisit, DuesPayment, Member, MemberEvent, dues_amount, dues_rate

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
    """A member's line of the dues register for a year."""

    member: Member
    months_due: list = field(default_factory=list)
    payments: dict = field(default_factory=dict)  # month: DuesPayment
    monthly: Decimal | None = None

    @property
    def paid(self):
        return sum((p.amount for p in self.payments.values()), Decimal("0.00"))

    @property
    def unpaid_months(self):
        return [month for month in self.months_due if month not in self.payments]

    @property
    def arrears(self):
        if self.monthly is None:
            return None
        return self.monthly * len(self.unpaid_months)

    @property
    def due(self):
        if self.monthly is None:
            return None
        return self.monthly * len(self.months_due)


def months_due(member, year, today):
    """The months of `year` up to `today` for which the member owes dues: from the month after
    they came onto the roster of the bureau (joined or transferred in), to the month they left."""
    if year > today.year:
        return []
    last = 12 if year < today.year else today.month
    entered = getattr(member, "entered_on", None) or member.joined_on
    first = 1
    if entered.year > year:
        return []
    if entered.year == year:
        first = entered.month
    left = getattr(member, "left_on", None)
    if left is not None:
        if left.year < year:
            return []
        if left.year == year:
            last = min(last, left.month)
    return list(range(first, last + 1))


def dues_register(organisations, year, today=None):
    """The dues register of `organisations` for `year`: a DuesRow per member who was on the
    roster of one of them at some time in the year, by organisation and name. Three queries."""
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
        )
        .select_related("organisation")
        .order_by("organisation__code", "name", "pk")
    )
    payments = defaultdict(dict)
    for payment in DuesPayment.objects.filter(member__in=[m.pk for m in members], year=year):
        payments[payment.member_id][payment.month] = payment
    rows = []
    for member in members:
        due = months_due(member, year, today)
        if not due and not payments.get(member.pk):
            continue
        monthly = None
        if member.dues_base is not None:
            monthly = dues_amount(member.dues_base, dues_rate(member.employment, member.dues_base))
        rows.append(DuesRow(member, due, payments.get(member.pk, {}), monthly))
    return rows


def dues_in_arrears(organisations, year, today=None):
    """The DuesRow of each member of `organisations` with unpaid months of `year` up to now
    (`row.member`, `row.unpaid_months`, `row.arrears` in yuan or None without a dues base)."""
    return [row for row in dues_register(organisations, year, today) if row.unpaid_months]
