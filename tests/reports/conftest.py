"""A small bureau for the report tests, sized by `dataset(n)`, and helpers to read workbooks back."""

import datetime

import pytest
from openpyxl import load_workbook

from branches.models import Meeting
from exhibitions.models import ConstructionMilestone, EducationBase, ExhibitionSection
from members.models import Member
from redhistory.models import Artefact, CustodyEvent, OralHistory, Veteran
from tests.factories.branches import MeetingFactory
from tests.factories.exhibitions import EducationBaseFactory
from visits.models import Visit

YEAR = 2024
STATUSES = [Member.Status.CURRENT] * 8 + [Member.Status.TRANSFERRED_OUT, Member.Status.DECEASED]


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
                    )
                )
        Member.objects.bulk_create(members)
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
