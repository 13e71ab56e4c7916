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
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from branches.models import (
    EXPECTED_FOR_KINDS,
    EXPECTED_PERIODS,
    Honour,
    Meeting,
    Organisation,
    RoomRating,
    Term,
)
from branches.selectors import months_in_period, periods_finished
from core.roles import user_sees_all_organisations
from exhibitions.models import Activity, ConstructionMilestone, EducationBase, ExhibitionSection
from members.models import DuesPayment, Member, MemberEvent
from members.selectors import dues_in_arrears, roster_on
from redhistory.models import (
    Artefact,
    CustodyEvent,
    MicroFilm,
    OralHistory,
    Veteran,
    VeteranService,
)
from visits.models import Booking, Visit

CHUNK_SIZE = 5000
HOME_ORAL_HISTORIES = 5
HOME_ARTEFACTS = 4

# 三会一课: the meetings every branch must hold, as often as branches' EXPECTED_PERIODS says.
THREE_MEETINGS_ONE_LECTURE = [
    Meeting.Kind.GENERAL_MEETING,
    Meeting.Kind.COMMITTEE_MEETING,
    Meeting.Kind.GROUP_MEETING,
    Meeting.Kind.PARTY_LECTURE,
]
RETIRED = [Member.Employment.RETIRED_PRE_1949, Member.Employment.RETIRED]


def artefacts_in_collection():
    """Artefacts on record, whether on display, in store or lent (the home page and the report)."""
    return Artefact.objects.count()


def key_figures():
    """The home page's figures across the apps, counted live (one query each)."""
    return {
        "organisations": Organisation.objects.count(),
        "members": Member.objects.current().count(),
        "bases": EducationBase.objects.public().count(),
        # all 21 count, as in the bureau's report; those not yet open are shown as being built
        "bases_total": EducationBase.objects.count(),
        "veterans": Veteran.objects.count(),
        "donors": Artefact.objects.filter(donor__isnull=False).values("donor").distinct().count(),
        "artefacts": artefacts_in_collection(),
        "oral_histories": OralHistory.objects.public().count(),
        "visitors": Visit.objects.aggregate(total=Sum("headcount"))["total"] or 0,
    }


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
        """{organisation pk: Counter of the members on the roster on the report's last day (as
        "current"), full or probationary that day, and of their employment}.

        As the roster stood on 31 December of the last year (`members.selectors.roster_on`,
        from the members' events), not as it stands today: a member who died or moved since
        is counted where they were, one who joined since is not counted."""
        counts = defaultdict(Counter)
        rows = (
            roster_on(self.scope.last_day, self.scope.organisation_ids)
            .values_list("organisation_on", "full_on", "employment")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for organisation, full, employment, n in rows:
            counter = counts[organisation]
            counter[Member.Status.CURRENT] += n
            counter[Member.Category.FULL if full else Member.Category.PROBATIONARY] += n
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
    def meeting_months(self):
        """{organisation pk: {kind: {(year, month): meetings held}}} within the years."""
        months = defaultdict(lambda: defaultdict(Counter))
        queryset = Meeting.objects.filter(
            held_on__range=(self.scope.first_day, self.scope.last_day)
        )
        if self.scope.restricted:
            queryset = queryset.filter(organisation__in=self.scope.organisation_ids)
        rows = (
            queryset.annotate(year=ExtractYear("held_on"), month=ExtractMonth("held_on"))
            .values_list("organisation", "kind", "year", "month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for organisation, kind, year, month, n in rows:
            months[organisation][kind][(year, month)] += n
        return months

    @cached_property
    def meeting_counts(self):
        """{organisation pk: Counter of meeting kinds held within the years}."""
        return {
            organisation: Counter({kind: counter.total() for kind, counter in kinds.items()})
            for organisation, kinds in self.meeting_months.items()
        }

    def meeting_periods(self, organisation, organisation_kind, today=None):
        """三会一课 periods (quarters, months) that ended within the years, and of them those
        without a meeting of the kind: (expected, missed), or (None, None) for an organisation
        the rule does not bind. The rule and its arithmetic are the branches yearly view's
        (`EXPECTED_PERIODS`, `periods_finished`): a period still running is not yet due."""
        if organisation_kind not in EXPECTED_FOR_KINDS:
            return None, None
        today = today or timezone.localdate()
        held = self.meeting_months.get(organisation, {})
        expected = missed = 0
        for year in range(self.scope.start_year, self.scope.end_year + 1):
            for kind in THREE_MEETINGS_ONE_LECTURE:
                periods = EXPECTED_PERIODS[kind]
                span = months_in_period(periods)
                months = held.get(kind, {})
                for period in range(periods_finished(periods, year, today)):
                    expected += 1
                    first = period * span + 1
                    if not any(months.get((year, m)) for m in range(first, first + span)):
                        missed += 1
        return expected, missed

    @cached_property
    def terms(self):
        """{organisation pk: {"elected": date, "due": date, "elections": n}}: the committee term
        in office at the end of the years, and how many elections (换届) were held within them."""
        queryset = Term.objects.filter(starts_on__lte=self.scope.last_day)
        if self.scope.restricted:
            queryset = queryset.filter(organisation__in=self.scope.organisation_ids)
        terms = defaultdict(lambda: {"elected": None, "due": None, "elections": 0})
        for organisation, starts_on, due_on in queryset.order_by("starts_on").values_list(
            "organisation", "starts_on", "due_on"
        ):
            term = terms[organisation]
            term["elected"], term["due"] = starts_on, due_on
            if starts_on >= self.scope.first_day:
                term["elections"] += 1
        return terms

    @cached_property
    def honours(self):
        """{organisation pk: [(year, title)]}: honours awarded up to the end of the years."""
        queryset = Honour.objects.filter(organisation__isnull=False, year__lte=self.scope.end_year)
        if self.scope.restricted:
            queryset = queryset.filter(organisation__in=self.scope.organisation_ids)
        honours = defaultdict(list)
        for organisation, year, title in queryset.order_by("year", "title").values_list(
            "organisation", "year", "title"
        ):
            honours[organisation].append((year, title))
        return honours

    @cached_property
    def room_ratings(self):
        """{room pk: (name, stars, organisation pks)}: each activity room's latest rating at the
        end of the years (rooms never rated by then are left out)."""
        queryset = RoomRating.objects.filter(rated_on__lte=self.scope.last_day)
        if self.scope.restricted:
            queryset = queryset.filter(room__organisations__in=self.scope.organisation_ids)
        rooms = {}
        for room, name, stars, organisation in queryset.order_by("rated_on", "pk").values_list(
            "room", "room__name", "stars", "room__organisations"
        ):
            _name, old_stars, organisations = rooms.get(room, (name, stars, set()))
            if organisation is not None:
                organisations.add(organisation)
            rooms[room] = (name, stars, organisations)
        return rooms

    @cached_property
    def member_events(self):
        """{organisation pk: Counter of standing changes within the years}: "transferred_in",
        "moved_in" (the organisation after the event), "transferred_out", "deceased",
        "moved_out" (the organisation before it), from the members' events."""
        period = (self.scope.first_day, self.scope.last_day)
        kinds = [
            MemberEvent.Kind.TRANSFERRED_IN,
            MemberEvent.Kind.MOVED,
            MemberEvent.Kind.TRANSFERRED_OUT,
            MemberEvent.Kind.DECEASED,
        ]
        queryset = MemberEvent.objects.filter(occurred_on__range=period, kind__in=kinds)
        ids = self.scope.organisation_ids
        counts = defaultdict(Counter)
        for kind, source, target, n in (
            queryset.values_list("kind", "from_organisation", "to_organisation")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if kind == MemberEvent.Kind.MOVED:
                counts[source]["moved_out"] += n
                counts[target]["moved_in"] += n
            elif kind == MemberEvent.Kind.TRANSFERRED_IN:
                counts[target][kind] += n
            else:
                counts[source][kind] += n
        if ids is not None:
            counts = {pk: counter for pk, counter in counts.items() if pk in ids}
        return counts

    def member_rows(self):
        """The roster, streamed: one query, fetched in chunks; `left_on` is the date of the
        member's last exit event (transferred out or died), or None."""
        exits = MemberEvent.objects.filter(
            member=OuterRef("pk"), kind__in=MemberEvent.EXITS
        ).order_by("-occurred_on", "-pk")
        return (
            self.scope.members()
            .annotate(left_on=Subquery(exits.values("occurred_on")[:1]))
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
                "left_on",
            )
            .iterator(chunk_size=CHUNK_SIZE)
        )

    @cached_property
    def retirees(self):
        """Retired members on the roster on the last day of the years, by employment: total,
        women, aged 70–79 and 80 or over at year end, the 三失 (disabled, unable to speak, memory loss, any of them) and a Counter
        of cadre levels ("" for not recorded)."""
        end = self.scope.last_day
        seventy, eighty = years_ago(end, 70), years_ago(end, 80)
        figures = ("total", "women", "aged_70_79", "aged_80", "disabled", "speech_loss")
        figures += ("memory_loss", "three_losses")
        rows = (
            roster_on(end, self.scope.organisation_ids)
            .filter(employment__in=RETIRED)
            .values_list("employment", "cadre_level")
            .annotate(
                total=Count("pk"),
                women=Count("pk", filter=Q(gender=Member.Gender.FEMALE)),
                aged_70_79=Count("pk", filter=Q(birth_date__lte=seventy, birth_date__gt=eighty)),
                aged_80=Count("pk", filter=Q(birth_date__lte=eighty)),
                # Aliases differ from the fields: an alias would shadow its field in the filters.
                n_disabled=Count("pk", filter=Q(disabled=True)),
                n_speech_loss=Count("pk", filter=Q(speech_loss=True)),
                n_memory_loss=Count("pk", filter=Q(memory_loss=True)),
                three_losses=Count(
                    "pk", filter=Q(disabled=True) | Q(speech_loss=True) | Q(memory_loss=True)
                ),
            )
            .order_by()
        )
        retirees = {}
        for employment, level, *counts in rows:
            found = retirees.setdefault(
                employment, {**dict.fromkeys(figures, 0), "levels": Counter()}
            )
            for name, n in zip(figures, counts, strict=True):
                found[name] += n
            found["levels"][level] += counts[0]
        return retirees

    def _retirees_on(self, day):
        members = roster_on(day, self.scope.organisation_ids).filter(employment__in=RETIRED)
        return dict(members.values_list("employment").annotate(n=Count("pk")).order_by())

    @cached_property
    def retirees_at_start(self):
        """{employment: retired members on the roster the day before the years began}, as the
        members' events have it (`members.selectors.roster_on`)."""
        return self._retirees_on(self.scope.first_day - datetime.timedelta(days=1))

    @cached_property
    def retirees_at_end(self):
        """{employment: retired members on the roster on the last day of the years}."""
        return self._retirees_on(self.scope.last_day)

    @cached_property
    def retiree_changes(self):
        """{employment: Counter of entries (joined, transferred in), "transferred_out" and
        "deceased" within the years}, of retired members of the report's organisations."""
        period = (self.scope.first_day, self.scope.last_day)
        queryset = MemberEvent.objects.filter(
            occurred_on__range=period,
            kind__in=MemberEvent.ENTRIES + MemberEvent.EXITS,
            member__employment__in=RETIRED,
        )
        if self.scope.restricted:
            ids = self.scope.organisation_ids
            queryset = queryset.filter(Q(from_organisation__in=ids) | Q(to_organisation__in=ids))
        changes = defaultdict(Counter)
        for employment, kind, n in (
            queryset.values_list("member__employment", "kind").annotate(n=Count("pk")).order_by()
        ):
            changes[employment]["entries" if kind in MemberEvent.ENTRIES else kind] += n
        return changes

    # --- dues -------------------------------------------------------------------------------

    @cached_property
    def dues_collected(self):
        """{organisation pk: (payments, yuan)} of dues paid for months of the years, by the
        member's present organisation."""
        queryset = DuesPayment.objects.filter(
            year__range=(self.scope.start_year, self.scope.end_year)
        )
        if self.scope.restricted:
            queryset = queryset.filter(member__organisation__in=self.scope.organisation_ids)
        return {
            organisation: (n, amount)
            for organisation, n, amount in queryset.values_list("member__organisation")
            .annotate(n=Count("pk"), amount=Sum("amount"))
            .order_by()
        }

    @cached_property
    def dues_arrears(self):
        """{organisation pk: (members in arrears, yuan)} for the last year of the report, up to
        today: the members' dues register (`members.selectors.dues_register`, three queries).
        Arrears of a member without a dues base count the member but no amount."""
        arrears = defaultdict(lambda: [0, Decimal("0.00")])
        organisations = self.scope.organisations()
        for row in dues_in_arrears(organisations, self.scope.end_year):
            found = arrears[row.member.organisation_id]
            found[0] += 1
            found[1] += row.arrears or 0
        return {pk: tuple(found) for pk, found in arrears.items()}

    # --- red history ------------------------------------------------------------------------

    @cached_property
    def red_resources(self):
        period = (self.scope.first_day, self.scope.last_day)
        # Two joins (artefacts, field visits): every count is distinct.
        veterans = Veteran.objects.aggregate(
            total=Count("pk", distinct=True),
            donors=Count("pk", filter=Q(artefacts__isnull=False), distinct=True),
            visited=Count("pk", filter=Q(field_visits__visited_on__range=period), distinct=True),
            # Not named after the relation: an alias would shadow it in the other counts.
            visits=Count(
                "field_visits", filter=Q(field_visits__visited_on__range=period), distinct=True
            ),
        )
        published = Q(status=OralHistory.Status.PUBLISHED)
        oral = OralHistory.objects.aggregate(
            recorded=Count("pk", filter=Q(recorded_on__range=period)),
            recorded_published=Count("pk", filter=Q(recorded_on__range=period) & published),
            published=Count("pk", filter=Q(published_at__date__range=period) & published),
            published_total=Count("pk", filter=published),
            total=Count("pk"),
        )
        films = MicroFilm.objects.aggregate(
            total=Count("pk", distinct=True),
            screened=Count("pk", filter=Q(screenings__shown_on__range=period), distinct=True),
            shows=Count("screenings", filter=Q(screenings__shown_on__range=period), distinct=True),
            audience=Sum("screenings__audience", filter=Q(screenings__shown_on__range=period)),
        )
        films["audience"] = films["audience"] or 0
        return {"veterans": veterans, "oral": oral, "films": films}

    @cached_property
    def veterans_by_war(self):
        """{war: veterans on record who served in it} (a veteran of two wars counts in both)."""
        return dict(
            VeteranService.objects.values_list("war")
            .annotate(n=Count("veteran", distinct=True))
            .order_by()
        )

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
        return artefacts_in_collection()

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
            CustodyEvent.objects.displays(on=self.scope.last_day)
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

    @cached_property
    def visits_by_activity_kind(self):
        """[(activity code, visits, visitors)] within the years, in the activities' order: a
        visit with two activities counts under both (as the visits statistics page counts)."""
        counts = {
            activity: (n, people)
            for activity, n, people in Visit.activities.through.objects.filter(
                visit__visited_on__range=(self.scope.first_day, self.scope.last_day)
            )
            .values_list("activity")
            .annotate(n=Count("visit"), people=Sum("visit__headcount"))
            .order_by()
        }
        return [
            (code, *counts.get(pk, (0, 0)))
            for pk, code in Activity.objects.values_list("pk", "code")
        ]

    @cached_property
    def bookings(self):
        """{status: (bookings, headcount)} of bookings for days within the years."""
        return {
            status: (n, people)
            for status, n, people in Booking.objects.filter(
                visit_on__range=(self.scope.first_day, self.scope.last_day)
            )
            .values_list("status")
            .annotate(n=Count("pk"), people=Sum("headcount"))
            .order_by()
        }

    def visit_rows(self):
        """Every visit of the years, streamed in date order: one query, fetched in chunks."""
        return (
            self.scope.visits()
            .order_by("visited_on", "pk")
            .values_list("visited_on", "base", "group_name", "category", "headcount", "source")
            .iterator(chunk_size=CHUNK_SIZE)
        )
