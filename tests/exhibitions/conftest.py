import datetime
import itertools

import pytest

from redhistory.models import Artefact, CustodyEvent
from redhistory.services import artefact_display
from visits.models import Visit

_numbers = itertools.count(1)


def make_artefact(*, published=True, name=None):
    number = next(_numbers)
    artefact = Artefact.objects.create(
        accession_number=f"T{number:05d}",
        name=name or f"军功章{number}",
        category=Artefact.Category.MEDAL,
        published=published,
    )
    CustodyEvent.objects.create(
        artefact=artefact,
        kind=CustodyEvent.Kind.ENTRY,
        starts_on=datetime.date(2020, 1, 1),
        location="局档案室",
    )
    return artefact


def display(artefact, base, section=None, on=datetime.date(2022, 1, 1)):
    return artefact_display(artefact=artefact, base=base, section=section, on=on, by=None)


def make_visit(base, headcount, on=datetime.date(2023, 5, 4)):
    return Visit.objects.create(
        base=base,
        visited_on=on,
        group_name="市直机关党支部",
        category=Visit.Category.IN_SERVICE_CADRES,
        headcount=headcount,
    )


@pytest.fixture
def shut_base(db):
    """A base still under construction: approved, its exhibition not yet laid out."""
    from tests.factories.exhibitions import EducationBaseFactory

    return EducationBaseFactory(
        slug="shut-base", name="和顺县在建红色教育分基地", kind="sub_base", opened=False
    )
