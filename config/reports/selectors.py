"""Reads for the yearly report: a fixed number of aggregate queries, whatever the row count.

Each selector takes the `ReportScope` (who builds the report and for which years) and returns
plain Python data. `ReportData` caches them, so that a figure shared by two sheets (the 概况
sheet repeats the others' totals) costs one query. When an app lands with the models the report
still waits for (see docs/report.md), its figures are added here as a new selector, and the
sheet that shows them reads it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from branches.models import Meeting, Organisation
from config.roles import user_sees_all_organisations
from exhibitions.models import ConstructionMilestone, EducationBase, ExhibitionSection
from exhibitions.selectors import current_displays
from members.models import Member
from redhistory.models import Artefact, CustodyEvent, OralHistory, Veteran
from visits.models import Visit

CHUNK_SIZE = 5000

# 三会一课: the meetings every branch must hold (the expected numbers wait for branches/).
THREE_MEETINGS_ONE_LECTURE = [
    Meeting.Kind.GENERAL_MEETING,
    Meeting.Kind.COMMITTEE_MEETING,
    Meeting.Kind.GROUP_MEETING,
    Meeting.Kind.PARTY_LECTURE,
]
RETIRED = [Member.Employment.RETIRED_PRE_1949, Member.Employment.RETIRED]


@dataclass(frozen=True)
class ReportScope:
    """Who the report is built for, and for which calendar years (inclusive)."""

    start_year: int
    end_year: int
    # None: every organisation (staff, managers, the command line); else the secretary's own.
    organisation_ids: tuple | None = None
    unmasked: bool = True

    @classmethod
    def for_user(cls, user, *, start_year, end_year):
        """The scope of a user: a secretary sees their own organisations, masked unless allowed."""
        if user is None:
            return cls(start_year=start_year, end_year=end_year)
        organisation_ids = None
        if not user_sees_all_organisations(user):
            organisation_ids = tuple(
                Organisation.objects.for_user(user).values_list("pk", flat=True)
            )
        return cls(
            start_year=start_year,
            end_year=end_year,
            organisation_ids=organisation_ids,
            unmasked=user.has_perm("members.view_personal_data"),
        )

    @property
    def restricted(self):
        return self.organisation_ids is not None

    @property
    def first_day(self):
        return datetime.date(self.start_year, 1, 1)

    @property
    def last_day(self):
        return datetime.date(self.end_year, 12, 31)

    @property
    def label(self):
        if self.start_year == self.end_year:
            return f"{self.start_year}"
        return f"{self.start_year}–{self.end_year}"

    def organisations(self):
        queryset = Organisation.objects.all()
        if self.restricted:
            queryset = queryset.filter(pk__in=self.organisation_ids)
        return queryset

    def members(self):
        queryset = Member.objects.all()
        if self.restricted:
            queryset = queryset.filter(organisation__in=self.organisation_ids)
        return queryset

    def visits(self):
        return Visit.objects.filter(visited_on__range=(self.first_day, self.last_day))


def years_ago(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class ReportData:
    """Every figure the sheets show, each read once, lazily."""

    def __init__(self, scope):
        self.scope = scope

    # --- branches and members -------------------------------------------------------------

    @cached_property
    def organisations(self):
        """(pk, name, kind, unit, retiree branch, parent name): general branches first."""
        return list(
            self.scope.organisations()
            .order_by(F("parent").asc(nulls_first=True), "pk")
            .values_list("pk", "name", "kind", "unit__name", "is_retiree_branch", "parent__name")
        )

    @cached_property
    def member_counts(self):
        """{organisation pk: Counter of category, status and employment of its members}."""
        counts = defaultdict(Counter)
        rows = (
            self.scope.members()
            .values_list("organisation", "category", "status", "employment")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for organisation, category, status, employment, n in rows:
            counter = counts[organisation]
            counter[status] += n
            if status == Member.Status.CURRENT:
                counter[category] += n
                counter[employment] += n
        return counts

    @cached_property
    def member_changes(self):
        """{organisation pk: Counter of joins and confirmations within the years}."""
        period = (self.scope.first_day, self.scope.last_day)
        rows = (
            self.scope.members()
            .values_list("organisation")
            .annotate(
                joined=Count("pk", filter=Q(joined_on__range=period)),
                confirmed=Count("pk", filter=Q(confirmed_on__range=period)),
            )
            .order_by()
        )
        return {
            organisation: Counter(joined=joined, confirmed=confirmed)
            for organisation, joined, confirmed in rows
        }

    @cached_property
    def meeting_counts(self):
        """{organisation pk: Counter of meeting kinds held within the years}."""
        counts = defaultdict(Counter)
        queryset = Meeting.objects.filter(
            held_on__range=(self.scope.first_day, self.scope.last_day)
        )
        if self.scope.restricted:
            queryset = queryset.filter(organisation__in=self.scope.organisation_ids)
        for organisation, kind, n in (
            queryset.values_list("organisation", "kind").annotate(n=Count("pk")).order_by()
        ):
            counts[organisation][kind] += n
        return counts

    def member_rows(self):
        """The roster, streamed: one query, fetched in chunks."""
        return (
            self.scope.members()
            .order_by("organisation__code", "name", "pk")
            .values_list(
                "name",
                "gender",
                "birth_date",
                "id_number",
                "organisation__name",
                "category",
                "employment",
                "joined_on",
                "confirmed_on",
                "status",
            )
            .iterator(chunk_size=CHUNK_SIZE)
        )

    @cached_property
    def retirees(self):
        """Current retired members by employment: total, aged 70–79 and 80 or over at year end."""
        end = self.scope.last_day
        seventy, eighty = years_ago(end, 70), years_ago(end, 80)
        rows = (
            self.scope.members()
            .current()
            .filter(employment__in=RETIRED)
            .values_list("employment")
            .annotate(
                total=Count("pk"),
                aged_70_79=Count("pk", filter=Q(birth_date__lte=seventy, birth_date__gt=eighty)),
                aged_80=Count("pk", filter=Q(birth_date__lte=eighty)),
                women=Count("pk", filter=Q(gender=Member.Gender.FEMALE)),
            )
            .order_by()
        )
        return {
            row[0]: dict(zip(("total", "aged_70_79", "aged_80", "women"), row[1:], strict=True))
            for row in rows
        }

    # --- red history ------------------------------------------------------------------------

    @cached_property
    def red_resources(self):
        period = (self.scope.first_day, self.scope.last_day)
        veterans = Veteran.objects.aggregate(
            total=Count("pk"),
            donors=Count("pk", filter=Q(artefacts__isnull=False), distinct=True),
        )
        oral = OralHistory.objects.aggregate(
            recorded=Count("pk", filter=Q(recorded_on__range=period)),
            recorded_published=Count(
                "pk",
                filter=Q(recorded_on__range=period, status=OralHistory.Status.PUBLISHED),
            ),
            published_total=Count("pk", filter=Q(status=OralHistory.Status.PUBLISHED)),
            total=Count("pk"),
        )
        return {"veterans": veterans, "oral": oral}

    @cached_property
    def artefacts_collected(self):
        """{(category, war): artefacts entered into the collection within the years}."""
        rows = (
            Artefact.objects.filter(
                custody_events__kind=CustodyEvent.Kind.ENTRY,
                custody_events__starts_on__range=(self.scope.first_day, self.scope.last_day),
            )
            .values_list("category", "war")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return {(category, war): n for category, war, n in rows}

    @cached_property
    def artefacts_total(self):
        return Artefact.objects.count()

    # --- education bases and visits ---------------------------------------------------------

    @cached_property
    def bases(self):
        """(pk, name, kind, county, parent name) in the order of the bases' list."""
        return list(
            EducationBase.objects.order_by("kind", "name").values_list(
                "pk", "name", "kind", "county", "parent__name"
            )
        )

    @cached_property
    def base_sections(self):
        return dict(
            ExhibitionSection.objects.values_list("base").annotate(n=Count("pk")).order_by()
        )

    @cached_property
    def base_displays(self):
        """{base pk: artefacts on display there at the end of the last year}."""
        return dict(
            current_displays(on=self.scope.last_day)
            .filter(base__isnull=False)
            .values_list("base")
            .annotate(n=Count("artefact", distinct=True))
            .order_by()
        )

    @cached_property
    def base_stages(self):
        """{base pk: the furthest construction stage reached by the end of the last year}."""
        order = ConstructionMilestone.STAGES
        stages = {}
        for base, stage in ConstructionMilestone.objects.filter(
            reached_on__lte=self.scope.last_day
        ).values_list("base", "stage"):
            if base not in stages or order.index(stage) > order.index(stages[base]):
                stages[base] = stage
        return stages

    @cached_property
    def visits_by_base_category(self):
        """{(base pk, category): (visits, visitors)} within the years."""
        rows = (
            self.scope.visits()
            .values_list("base", "category")
            .annotate(visits=Count("pk"), visitors=Sum("headcount"))
            .order_by()
        )
        return {(base, category): (visits, visitors) for base, category, visits, visitors in rows}

    @cached_property
    def visits_by_month(self):
        """{(year, month, category): visitors} within the years."""
        rows = (
            self.scope.visits()
            .annotate(year=ExtractYear("visited_on"), month=ExtractMonth("visited_on"))
            .values_list("year", "month", "category")
            .annotate(visitors=Sum("headcount"))
            .order_by()
        )
        return {(year, month, category): visitors for year, month, category, visitors in rows}

    @cached_property
    def visits_by_activity(self):
        """{(source, meeting kind or ""): (visits, visitors)} within the years."""
        rows = (
            self.scope.visits()
            .values_list("source", "meeting__kind")
            .annotate(visits=Count("pk"), visitors=Sum("headcount"))
            .order_by()
        )
        return {(source, kind or ""): (visits, visitors) for source, kind, visits, visitors in rows}

    def visit_rows(self):
        """Every visit of the years, streamed in date order: one query, fetched in chunks."""
        return (
            self.scope.visits()
            .order_by("visited_on", "pk")
            .values_list("visited_on", "base", "group_name", "category", "headcount", "source")
            .iterator(chunk_size=CHUNK_SIZE)
        )
