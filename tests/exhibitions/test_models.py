import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.geo import wgs84_to_gcj02
from exhibitions.models import Activity, ConstructionMilestone, EducationBase
from tests.factories.exhibitions import EducationBaseFactory

Stage = ConstructionMilestone.Stage


@pytest.mark.django_db
def test_the_six_activities_are_seeded_with_their_codes():
    codes = set(Activity.objects.values_list("code", flat=True))
    assert codes == {"visit", "oath", "lecture", "themed_day", "sharing", "training"}
    with pytest.raises(IntegrityError):
        Activity.objects.create(code="visit")


@pytest.mark.django_db
def test_an_activity_reads_in_chinese():
    assert str(Activity.objects.get(code="oath")) == "重温入党誓词"


@pytest.mark.django_db
def test_a_base_is_public_only_once_its_opening_milestone_is_reached(shut_base):
    assert shut_base not in EducationBase.objects.public()
    milestone = ConstructionMilestone.objects.create(
        base=shut_base, stage=Stage.OPENING, reached_on=None
    )
    assert shut_base not in EducationBase.objects.public()
    milestone.reached_on = datetime.date.today() + datetime.timedelta(days=10)
    milestone.save()
    assert shut_base not in EducationBase.objects.public()
    assert shut_base in EducationBase.objects.public(on=milestone.reached_on)
    milestone.reached_on = datetime.date.today()
    milestone.save()
    assert shut_base in EducationBase.objects.public()


@pytest.mark.django_db
def test_the_current_stage_is_the_furthest_stage_reached(shut_base):
    assert shut_base.current_stage() == Stage.APPROVAL
    for stage, day in [
        (Stage.SITE_SELECTION, datetime.date(2024, 5, 1)),
        (Stage.CONSTRUCTION, datetime.date(2024, 9, 1)),
        (Stage.DESIGN, None),
    ]:
        ConstructionMilestone.objects.create(base=shut_base, stage=stage, reached_on=day)
    shut_base = EducationBase.objects.get(pk=shut_base.pk)
    assert shut_base.current_stage() == Stage.CONSTRUCTION
    assert str(shut_base.get_current_stage_display()) == "建馆"
    assert shut_base.current_stage(on=datetime.date(2024, 6, 1)) == Stage.SITE_SELECTION
    assert not shut_base.is_public()


@pytest.mark.django_db
def test_a_base_has_one_milestone_per_stage(own_base):
    with pytest.raises(ValidationError):
        ConstructionMilestone(
            base=own_base, stage=Stage.OPENING, reached_on=datetime.date(2022, 1, 1)
        ).full_clean()


@pytest.mark.django_db
def test_only_a_sub_base_may_have_a_parent(own_base, other_base):
    other_base.parent = own_base
    with pytest.raises(IntegrityError):
        other_base.save()


@pytest.mark.django_db
def test_coordinates_come_in_pairs_and_within_range(own_base):
    own_base.latitude = 37.5
    with pytest.raises(ValidationError) as raised:
        own_base.full_clean()
    assert "longitude" in raised.value.message_dict
    own_base.longitude = 200
    with pytest.raises(ValidationError):
        own_base.full_clean()


@pytest.mark.django_db
def test_the_map_links_carry_converted_coordinates(own_base):
    assert own_base.map_links() == []
    own_base.latitude, own_base.longitude = "37.082000", "113.379000"
    gcj_lat, gcj_lng = wgs84_to_gcj02(37.082, 113.379)
    links = {key: url for key, _label, url in own_base.map_links()}
    assert set(links) == {"amap", "baidu", "tencent"}
    assert f"{gcj_lng:.6f}%2C{gcj_lat:.6f}" in links["amap"]
    assert "37.082000" not in links["amap"]  # never the raw WGS-84 point


@pytest.mark.django_db
def test_opening_weekdays_are_named_and_checked(own_base):
    own_base.open_weekdays = "276"
    assert [str(day) for day in own_base.open_weekday_labels()] == ["星期二", "星期六", "星期日"]
    assert own_base.is_open_on(datetime.date(2024, 7, 2))  # a Tuesday
    assert not own_base.is_open_on(datetime.date(2024, 7, 1))  # a Monday
    own_base.open_weekdays = "28"
    with pytest.raises(ValidationError):
        own_base.full_clean()


@pytest.mark.django_db
def test_the_description_is_split_into_paragraphs():
    base = EducationBaseFactory(description="第一段。\n\n第二段，\n续行。\n\n\n")
    assert base.paragraphs() == ["第一段。", "第二段，\n续行。"]


@pytest.mark.django_db
def test_a_milestone_document_must_be_a_paper_of_modest_size(own_base, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    milestone = ConstructionMilestone(base=own_base, stage=Stage.APPROVAL)
    milestone.document = SimpleUploadedFile("批复.exe", b"MZ")
    with pytest.raises(ValidationError) as raised:
        milestone.full_clean()
    assert "document" in raised.value.message_dict
    settings.PORTAL_MAX_DOCUMENT_BYTES = 1024 * 1024
    milestone.document = SimpleUploadedFile("批复.pdf", b"%PDF" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as raised:
        milestone.full_clean()
    assert raised.value.message_dict["document"] == ["文件过大：最大 1 MB。"]
    milestone.document = SimpleUploadedFile("批复.pdf", b"%PDF-1.4")
    milestone.full_clean()
