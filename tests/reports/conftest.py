"""A small bureau for the report tests, sized by `dataset(n)`, and helpers to read workbooks back."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from branches.models import ActivityRoom, Honour, Meeting, RoomRating, Term
from exhibitions.models import Activity, ConstructionMilestone, EducationBase, ExhibitionSection
from members.choices import CadreLevel
from members.models import DuesPayment, Member, MemberEvent
from redhistory.models import (
    Artefact,
    CustodyEvent,
    FieldVisit,
    MicroFilm,
    OralHistory,
    Screening,
    Veteran,
    VeteranService,
    War,
)
from tests.factories.branches import MeetingFactory
from tests.factories.exhibitions import EducationBaseFactory
from tests.factories.visits import BookingFactory
from visits import summary
from visits.models import Booking, Visit

YEAR = 2024
STATUSES = [Member.Status.CURRENT] * 8 + [Member.Status.TRANSFERRED_OUT, Member.Status.DECEASED]
LEVELS = [CadreLevel.COUNTY, CadreLevel.COUNTY_DEPUTY, CadreLevel.PREFECTURE, ""]


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings.PORTAL_PRIVATE_ROOT / "reports"


def id_number(n):
    return f"14070219{n % 100:02d}0101{n:04d}"[:17] + "X"


@pytest.fixture
def dataset(general_branch, own_branch, other_branch):
    """dataset(n): n members per branch and n visits per base, spread over 2023–2025."""

    def build(n):
        bases = [
            EducationBaseFactory(
                slug="zuoquan",
                name="左权县红色教育基地",
                county="zuoquan",
                opened=datetime.date(YEAR - 1, 6, 1),
            ),
            EducationBaseFactory(
                slug="pingyao",
                name="平遥县分基地",
                county="pingyao",
                kind=EducationBase.Kind.SUB_BASE,
                opened=False,
            ),
        ]
        # The second base is approved only the year after the report's year.
        ConstructionMilestone.objects.filter(base=bases[1]).update(
            reached_on=datetime.date(YEAR + 1, 1, 1)
        )
        ExhibitionSection.objects.create(base=bases[0], order=1, title="序厅")
        ExhibitionSection.objects.create(base=bases[0], order=2, title="抗战烽火")
        members = []
        for org_index, organisation in enumerate([own_branch, other_branch]):
            for i in range(n):
                k = org_index * 10000 + i
                members.append(
                    Member(
                        name=f"党员{k}",
                        gender="F" if i % 3 == 0 else "M",
                        birth_date=datetime.date(1935 + i % 30, 1 + i % 12, 1 + i % 27),
                        id_number=id_number(k),
                        category=Member.Category.PROBATIONARY
                        if i % 5 == 0
                        else Member.Category.FULL,
                        joined_on=datetime.date(2022 + i % 4, 3, 1),
                        confirmed_on=datetime.date(2023 + i % 4, 3, 1) if i % 5 else None,
                        employment=[
                            Member.Employment.IN_SERVICE,
                            Member.Employment.RETIRED,
                            Member.Employment.RETIRED_PRE_1949,
                        ][i % 3],
                        organisation=organisation,
                        status=STATUSES[i % len(STATUSES)],
                        cadre_level=LEVELS[i % len(LEVELS)],
                        disabled=i % 4 == 1,
                        speech_loss=i % 6 == 1,
                        memory_loss=i % 4 == 2,
                        dues_base=Decimal("4000.00") if i % 2 else None,
                    )
                )
        members = Member.objects.bulk_create(members)
        events = []
        for i, member in enumerate(members):
            # Every member came onto the roster; some by transfer, in the report's year.
            entry = MemberEvent.Kind.TRANSFERRED_IN if i % 7 == 3 else MemberEvent.Kind.JOINED
            events.append(
                MemberEvent(
                    member=member,
                    kind=entry,
                    occurred_on=datetime.date(YEAR, 4, 1)
                    if entry == MemberEvent.Kind.TRANSFERRED_IN
                    else member.joined_on,
                    to_organisation=member.organisation,
                )
            )
            if member.status != Member.Status.CURRENT:
                events.append(
                    MemberEvent(
                        member=member,
                        kind=member.status,
                        occurred_on=datetime.date(YEAR - (i > 10 and i % 4 == 0), 6, 1),
                        from_organisation=member.organisation,
                    )
                )
        moved = members[1]
        events.append(
            MemberEvent(
                member=moved,
                kind=MemberEvent.Kind.MOVED,
                occurred_on=datetime.date(YEAR, 8, 1),
                from_organisation=other_branch,
                to_organisation=moved.organisation,
            )
        )
        MemberEvent.objects.bulk_create(events)
        DuesPayment.objects.bulk_create(
            DuesPayment(
                member=member,
                year=YEAR - 1 + i % 2,
                month=month,
                base=Decimal("4000.00"),
                rate=Decimal("0.01"),
                amount=Decimal("40.00") + i,
                paid_on=datetime.date(YEAR - 1 + i % 2, month, 20),
            )
            for i, member in enumerate(members)
            if member.dues_base and member.status == Member.Status.CURRENT
            for month in range(1, 4 + i % 9)
        )
        kinds = list(Meeting.Kind.values)
        for i in range(n):
            MeetingFactory(
                organisation=[own_branch, other_branch][i % 2],
                kind=kinds[i % len(kinds)],
                held_on=datetime.date(YEAR - 1 + i % 3, 1 + i % 12, 10),
            )
        categories, sources = Visit.Category.values, Visit.Source.values
        Visit.objects.bulk_create(
            Visit(
                base=bases[i % 2],
                visited_on=datetime.date(YEAR - 1 + i % 3, 1 + i % 12, 1 + i % 28),
                group_name='=HYPERLINK("http://evil")' if i == 0 else f"参观团{i}",
                category=categories[i % len(categories)],
                headcount=10 + i % 40,
                source=sources[i % len(sources)],
            )
            for base_index in range(2)
            for i in range(base_index, n * 2, 2)
        )
        veterans = Veteran.objects.bulk_create(
            Veteran(name=f"老同志{i}", gender="M", birth_year=1925 + i % 10, county="yuci")
            for i in range(n)
        )
        wars = ["anti_japanese", "liberation", "korea", ""]
        for i in range(n):
            artefact = Artefact.objects.create(
                accession_number=f"HS-{i:05d}",
                name=f"物件{i}",
                category=Artefact.Category.values[i % len(Artefact.Category.values)],
                war=wars[i % 4],
                donor=veterans[i % max(1, n // 2)],
            )
            CustodyEvent.objects.create(
                artefact=artefact,
                kind=CustodyEvent.Kind.ENTRY,
                starts_on=datetime.date(YEAR - 1 + i % 3, 5, 1),
            )
            if i % 2:
                CustodyEvent.objects.create(
                    artefact=artefact,
                    kind=CustodyEvent.Kind.DISPLAY,
                    starts_on=datetime.date(YEAR, 6, 1),
                    base=bases[0],
                )
            OralHistory.objects.create(
                title=f"口述{i}",
                narrator=veterans[i],
                recorded_on=datetime.date(YEAR - 1 + i % 3, 7, 1),
                status=OralHistory.Status.PUBLISHED if i % 2 else OralHistory.Status.DRAFT,
            )
        for starts_on in [datetime.date(YEAR - 4, 6, 1), datetime.date(YEAR - 1, 3, 1)]:
            Term.objects.create(organisation=own_branch, starts_on=starts_on)
        Term.objects.create(organisation=other_branch, starts_on=datetime.date(YEAR - 4, 5, 1))
        Term.objects.create(organisation=general_branch, starts_on=datetime.date(YEAR, 5, 1))
        Term.objects.create(organisation=general_branch, starts_on=datetime.date(YEAR + 1, 5, 1))
        for year, title in [(2018, "先进党组织"), (2020, "示范党组织"), (YEAR, "红旗党组织")]:
            Honour.objects.create(organisation=general_branch, year=year, title=title)
        Honour.objects.create(organisation=own_branch, year=YEAR + 1, title="明年的荣誉")
        room = ActivityRoom.objects.create(name="党员活动室")
        room.organisations.set([general_branch, own_branch])
        for stars, rated_on in [(3, YEAR - 3), (5, YEAR - 1), (4, YEAR + 1)]:
            RoomRating.objects.create(
                room=room, stars=stars, rated_on=datetime.date(rated_on, 6, 1)
            )
        old_room = ActivityRoom.objects.create(name="休干所活动室")
        old_room.organisations.set([other_branch])
        RoomRating.objects.create(room=old_room, stars=3, rated_on=datetime.date(2015, 6, 1))
        wars = [War.ANTI_JAPANESE, War.LIBERATION, War.KOREA]
        for i, veteran in enumerate(veterans):
            VeteranService.objects.create(veteran=veteran, war=wars[i % 3])
            if i % 4 == 0:
                VeteranService.objects.create(veteran=veteran, war=wars[(i + 1) % 3])
            for k in range(i % 3):
                FieldVisit.objects.create(
                    veteran=veteran,
                    visited_on=datetime.date(YEAR - 1 + (i + k) % 3, 3, 1 + k),
                    team=FieldVisit.Team.CITY,
                )
        published = OralHistory.objects.filter(status=OralHistory.Status.PUBLISHED)
        for i, oral in enumerate(published):
            oral.published_at = datetime.datetime(YEAR - 1 + i % 3, 9, 1, tzinfo=datetime.UTC)
            oral.save(update_fields=["published_at"])
        for i in range(3):
            film = MicroFilm.objects.create(title=f"微电影{i}")
            for k in range(i + 1):
                Screening.objects.create(
                    film=film,
                    place="活动中心",
                    shown_on=datetime.date(YEAR - 1 + k, 10, 1),
                    audience=50 + k,
                )
        activities = list(Activity.objects.order_by("pk"))
        link = Visit.activities.through
        link.objects.bulk_create(
            link(visit=visit, activity=activities[(visit.pk + k) % len(activities)])
            for visit in Visit.objects.all()
            for k in range(1 + visit.pk % 2)
        )
        # Bulk writes send no signals: like the demo and imports, rebuild the visit summary the
        # statistics read (the report itself reads the visits).
        summary.rebuild()
        statuses = Booking.Status.values
        for i in range(n):
            BookingFactory(
                base=bases[i % 2],
                visit_on=datetime.date(YEAR - 1 + i % 3, 5, 1 + i % 28),
                status=statuses[i % len(statuses)],
                headcount=20 + i,
            )
        return bases

    return build


def read(path):
    return load_workbook(path)


def table(ws, first_header):
    """{first column value: row values} of the table whose header row starts with `first_header`."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == first_header)
    header = rows[start]
    found = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        found[row[0]] = dict(zip(header, row, strict=False))
    return found
