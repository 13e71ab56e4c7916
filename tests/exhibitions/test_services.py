import datetime

import pytest
from django.core.exceptions import ValidationError

from redhistory.models import CustodyEvent
from redhistory.services import (
    MESSAGE_ALREADY_THERE,
    MESSAGE_DEACCESSIONED_NO_DISPLAY,
    MESSAGE_NOT_IN_YOUR_CARE,
    MESSAGE_NOT_YOUR_BASE,
    MESSAGE_SECTION_OF_ANOTHER_BASE,
    artefact_display,
    custody_record,
)
from tests.factories.exhibitions import ExhibitionSectionFactory

from .conftest import make_artefact

DAY = datetime.date(2023, 3, 1)


@pytest.mark.django_db
def test_displaying_an_artefact_closes_its_storage_and_opens_a_display(own_base):
    artefact = make_artefact()
    section = ExhibitionSectionFactory(base=own_base)
    display = artefact_display(artefact=artefact, base=own_base, section=section, on=DAY, by=None)
    entry = artefact.custody_events.get(kind=CustodyEvent.Kind.ENTRY)
    assert entry.ends_on == DAY
    assert (display.kind, display.base, display.section) == ("display", own_base, section)
    assert display.starts_on == DAY and display.ends_on is None
    assert display.history.count() == 1


@pytest.mark.django_db
def test_an_artefact_is_on_display_at_one_place_at_a_time(own_base, other_base):
    artefact = make_artefact()
    first = artefact_display(artefact=artefact, base=own_base, on=DAY, by=None)
    later = DAY + datetime.timedelta(days=30)
    second = artefact_display(artefact=artefact, base=other_base, on=later, by=None)
    first.refresh_from_db()
    assert first.ends_on == later
    open_events = artefact.custody_events.filter(ends_on__isnull=True)
    assert list(open_events) == [second]


@pytest.mark.django_db
def test_a_deaccessioned_artefact_is_refused_and_nothing_changes(own_base):
    artefact = make_artefact()
    CustodyEvent.objects.create(
        artefact=artefact, kind=CustodyEvent.Kind.DEACCESSION, starts_on=DAY
    )
    before = list(artefact.custody_events.values())
    with pytest.raises(ValidationError) as raised:
        artefact_display(artefact=artefact, base=own_base, on=DAY, by=None)
    assert raised.value.messages == [str(MESSAGE_DEACCESSIONED_NO_DISPLAY)]
    assert list(artefact.custody_events.values()) == before


@pytest.mark.django_db
def test_a_section_of_another_base_is_refused(own_base, other_base):
    artefact = make_artefact()
    section = ExhibitionSectionFactory(base=other_base)
    with pytest.raises(ValidationError) as raised:
        artefact_display(artefact=artefact, base=own_base, section=section, on=DAY, by=None)
    assert raised.value.message_dict["section"] == [str(MESSAGE_SECTION_OF_ANOTHER_BASE)]
    assert not artefact.custody_events.filter(kind="display").exists()


@pytest.mark.django_db
def test_displaying_again_in_the_same_place_is_refused(own_base):
    artefact = make_artefact()
    artefact_display(artefact=artefact, base=own_base, on=DAY, by=None)
    with pytest.raises(ValidationError) as raised:
        artefact_display(
            artefact=artefact, base=own_base, on=DAY + datetime.timedelta(days=1), by=None
        )
    assert raised.value.messages == [str(MESSAGE_ALREADY_THERE)]


@pytest.mark.django_db
def test_a_display_cannot_begin_before_the_current_custody(own_base):
    artefact = make_artefact()
    with pytest.raises(ValidationError):
        artefact_display(artefact=artefact, base=own_base, on=datetime.date(2019, 12, 31), by=None)
    assert artefact.custody_events.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["other_base", "loan"])
def test_a_base_administrator_displays_only_what_is_in_store_or_theirs(
    base_admin, own_base, other_base, where
):
    artefact = make_artefact()
    if where == "other_base":
        artefact_display(artefact=artefact, base=other_base, on=DAY, by=None)
    else:
        custody_record(
            artefact=artefact, kind=CustodyEvent.Kind.LOAN_OUT, on=DAY, location="省博物馆"
        )
    before = list(artefact.custody_events.values())
    later = DAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        artefact_display(artefact=artefact, base=own_base, on=later, by=base_admin)
    assert raised.value.messages == [str(MESSAGE_NOT_IN_YOUR_CARE)]
    assert list(artefact.custody_events.values()) == before


@pytest.mark.django_db
def test_a_base_administrator_displays_only_at_their_own_bases(base_admin, other_base):
    artefact = make_artefact()
    with pytest.raises(ValidationError) as raised:
        artefact_display(artefact=artefact, base=other_base, on=DAY, by=base_admin)
    assert raised.value.messages == [str(MESSAGE_NOT_YOUR_BASE)]
    assert not artefact.custody_events.filter(kind="display").exists()
