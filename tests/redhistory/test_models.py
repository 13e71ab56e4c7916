import datetime

import pytest

from redhistory.models import (
    RESTRICTED_NOTICE,
    Artefact,
    CustodyEvent,
    MicroFilm,
    OralHistory,
    Release,
    Veteran,
)
from tests.factories.redhistory import (
    ArtefactFactory,
    CustodyEventFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    SegmentFactory,
    VeteranFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 1)


def test_public_veterans_are_those_with_consent():
    shown = VeteranFactory(public_profile=True)
    VeteranFactory(public_profile=False)
    assert list(Veteran.objects.public()) == [shown]


def test_veteran_wars_come_from_service_rows():
    veteran = VeteranFactory(services=["anti_japanese", "liberation", "anti_japanese"])
    assert [war.value for war in veteran.wars] == ["anti_japanese", "liberation"]


def test_current_custody_is_the_newest_event_with_or_without_prefetch():
    artefact = ArtefactFactory(acquired_on=datetime.date(2024, 1, 1))
    CustodyEventFactory(artefact=artefact, starts_on=datetime.date(2024, 3, 1), location="二号柜")
    CustodyEventFactory(artefact=artefact, starts_on=datetime.date(2024, 2, 1), location="一号柜")
    assert artefact.current_custody.location == "二号柜"
    prefetched = Artefact.objects.prefetch_related("custody_events").get()
    assert prefetched.current_custody.location == "二号柜"
    annotated = Artefact.objects.with_current_custody().get()
    assert annotated.custody_location == "二号柜"


def test_deaccessioned_artefacts_are_not_public():
    kept = ArtefactFactory(published=True)
    gone = ArtefactFactory(published=True)
    ArtefactFactory(published=False)
    CustodyEventFactory(artefact=gone, kind=CustodyEvent.Kind.DEACCESSION)
    assert list(Artefact.objects.public()) == [kept]
    assert gone.deaccessioned and not kept.deaccessioned


def test_loans_due_within_thirty_days_and_overdue():
    due_soon = ArtefactFactory(acquisition="loan", loan_due_on=TODAY + datetime.timedelta(days=20))
    overdue = ArtefactFactory(acquisition="loan", loan_due_on=TODAY - datetime.timedelta(days=1))
    ArtefactFactory(acquisition="loan", loan_due_on=TODAY + datetime.timedelta(days=40))
    returned = ArtefactFactory(acquisition="loan", loan_due_on=TODAY)
    CustodyEventFactory(artefact=returned, kind=CustodyEvent.Kind.DEACCESSION)
    assert list(Artefact.objects.loans_due(TODAY)) == [overdue, due_soon]
    assert list(Artefact.objects.loans_overdue(TODAY)) == [overdue]


def test_oral_history_is_public_only_published_released_and_after_embargo():
    public = OralHistoryFactory(published=True)
    OralHistoryFactory(published=True, release__scope=Release.Scope.INTERNAL)
    OralHistoryFactory(published=True, release=False)
    embargoed = OralHistoryFactory(
        published=True, release__embargo_until=TODAY + datetime.timedelta(days=1)
    )
    OralHistoryFactory()
    assert list(OralHistory.objects.public(TODAY)) == [public]
    assert embargoed in OralHistory.objects.public(TODAY + datetime.timedelta(days=1))


def test_embargo_ended_lists_unpublished_records_for_review():
    ended = OralHistoryFactory(
        status="in_review", release__embargo_until=TODAY - datetime.timedelta(days=1)
    )
    OralHistoryFactory(published=True, release__embargo_until=TODAY)
    OralHistoryFactory(release__embargo_until=TODAY + datetime.timedelta(days=3))
    assert list(OralHistory.objects.embargo_ended(TODAY)) == [ended]


def test_public_transcript_replaces_restricted_passages():
    story = OralHistoryFactory(transcript="开头。[restricted]秘密\n第二行[/restricted]结尾。")
    text = story.public_transcript()
    assert "秘密" not in text and "第二行" not in text
    assert text.startswith("开头。") and text.endswith("结尾。")


def test_public_transcript_withholds_the_rest_after_an_unclosed_passage():
    story = OralHistoryFactory(transcript="开头。[restricted]没有结束标记\n结尾。")
    assert story.public_transcript() == "开头。" + str(RESTRICTED_NOTICE)


def test_segments_are_ordered_by_start():
    story = OralHistoryFactory()
    late = SegmentFactory(oral_history=story, start_seconds=600)
    early = SegmentFactory(oral_history=story, start_seconds=30)
    assert list(story.segments.all()) == [early, late]
    assert early.timecode == "00:30"


def test_micro_film_is_public_only_when_every_source_is_public():
    public_story = OralHistoryFactory(published=True)
    draft_story = OralHistoryFactory()
    shown = MicroFilmFactory(published=True, oral_histories=[public_story])
    MicroFilmFactory(published=True, oral_histories=[public_story, draft_story])
    MicroFilmFactory(published=False, oral_histories=[public_story])
    assert list(MicroFilm.objects.public()) == [shown]


def test_rescue_queue_ranks_by_documented_score():
    calm = VeteranFactory(birth_year=1940)  # 85 in 2025: 5 years × 2 + 30 (no oral history)
    urgent = VeteranFactory(
        birth_year=1926, aphasic=True, long_illness=True
    )  # 99: 19 × 2 + 15 + 20 + 30 = 103
    recorded = VeteranFactory(birth_year=1926, aphasic=True, long_illness=True)
    OralHistoryFactory(narrator=recorded)  # 38 + 15 + 20 = 73
    VeteranFactory(birth_year=1920, died_on=datetime.date(2024, 1, 1))
    queue = list(Veteran.objects.rescue_queue(TODAY))
    assert queue == [urgent, recorded, calm]
    assert [v.rescue_score for v in queue] == [103, 73, 40]


def test_a_loan_in_needs_its_return_date():
    from django.core.exceptions import ValidationError

    from redhistory.models import MESSAGE_LOAN_NEEDS_DUE_DATE

    artefact = ArtefactFactory.build(acquisition="loan", loan_due_on=None, donor=None)
    with pytest.raises(ValidationError) as error:
        artefact.full_clean()
    assert error.value.message_dict["loan_due_on"] == [str(MESSAGE_LOAN_NEEDS_DUE_DATE)]
    artefact.loan_due_on = TODAY
    artefact.full_clean()
