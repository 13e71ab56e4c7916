"""Bureau staff catalogue red history in the admin: veterans, artefacts with images, oral
histories with their release and segments, micro-films; nothing is hard-deleted."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from redhistory import services
from redhistory.models import (
    AccessionCounter,
    Artefact,
    CustodyEvent,
    OralHistory,
    Release,
    Veteran,
)
from tests.admin_forms import add_inline_rows, form_data, jpeg_bytes
from tests.factories.accounts import UserFactory
from tests.factories.exhibitions import EducationBaseFactory
from tests.factories.redhistory import (
    ArtefactFactory,
    FieldVisitFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    ScreeningFactory,
    SegmentFactory,
    VeteranFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["veteran", "artefact", "oralhistory", "fieldvisit", "microfilm", "rescuecandidate"]


def admin_url(name, *args):
    return reverse(f"admin:redhistory_{name}", args=args)


@pytest.fixture
def records(db):
    veteran = VeteranFactory(services=["anti_japanese"])
    artefact = ArtefactFactory(donor=veteran, images=1)
    story = OralHistoryFactory(narrator=veteran)
    SegmentFactory(oral_history=story, artefacts=[artefact])
    FieldVisitFactory(veteran=veteran)
    ScreeningFactory(film=MicroFilmFactory(veterans=[veteran], oral_histories=[story]))
    return {"veteran": veteran, "artefact": artefact, "oralhistory": story}


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_every_changelist_and_search(staff_client, records, model):
    assert staff_client.get(admin_url(f"{model}_changelist")).status_code == 200
    assert staff_client.get(admin_url(f"{model}_changelist"), {"q": "王"}).status_code == 200


@pytest.mark.parametrize("model", ["veteran", "artefact", "oralhistory", "fieldvisit", "microfilm"])
def test_staff_open_add_change_and_history_pages(staff_client, records, model):
    from redhistory import models

    obj = {
        "fieldvisit": models.FieldVisit.objects.first(),
        "microfilm": models.MicroFilm.objects.first(),
    }.get(model) or records[model]
    assert staff_client.get(admin_url(f"{model}_add")).status_code == 200
    assert staff_client.get(admin_url(f"{model}_change", obj.pk)).status_code == 200
    assert staff_client.get(admin_url(f"{model}_history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", ["veteran", "artefact", "oralhistory"])
def test_collection_records_cannot_be_deleted_through_the_admin(client, superuser, records, model):
    client.force_login(superuser)
    obj = records[model]
    assert client.get(admin_url(f"{model}_delete", obj.pk)).status_code == 403
    response = client.get(admin_url(f"{model}_changelist"))
    assert "delete_selected" not in dict(
        response.context["cl"].model_admin.get_actions(response.wsgi_request)
    )


@pytest.mark.parametrize("persona", ["manager_client", "base_admin_client"])
def test_readers_see_records_but_cannot_change_them(request, records, persona):
    client = request.getfixturevalue(persona)
    artefact = records["artefact"]
    assert client.get(admin_url("artefact_changelist")).status_code == 200
    response = client.post(admin_url("artefact_change", artefact.pk), {"name": "改名"})
    assert response.status_code == 403
    artefact.refresh_from_db()
    assert artefact.name != "改名"


def test_secretary_cannot_open_red_history(secretary_client, records):
    assert secretary_client.get(admin_url("veteran_changelist")).status_code == 403


# The end-to-end catalogue ----------------------------------------------------------------


def test_staff_catalogue_a_veteran_an_artefact_with_images_and_an_oral_history(
    staff_client, bureau_staff
):
    # 1. The veteran, with a stretch of service.
    data = form_data(staff_client.get(admin_url("veteran_add")))
    data.update(
        {
            "name": "郭振华",
            "gender": "M",
            "birth_year": "1927",
            "county": "zuoquan",
            "native_place": "山西左权",
            "aphasic": "on",
            "guardian_name": "郭小平",
            "guardian_phone": "13800000000",
            "public_profile": "on",
        }
    )
    add_inline_rows(
        data,
        "services",
        [{"war": "anti_japanese", "unit": "八路军一二九师", "post": "通讯员", "from_year": "1942"}],
    )
    response = staff_client.post(admin_url("veteran_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    veteran = Veteran.objects.get(name="郭振华")
    assert [war.value for war in veteran.wars] == ["anti_japanese"]
    assert veteran.history.first().history_user == bureau_staff

    # 2. An artefact he gives, with two images: numbered and entered on saving.
    data = form_data(staff_client.get(admin_url("artefact_add")))
    data.update(
        {
            "name": "八路军臂章",
            "category": "uniform",
            "war": "anti_japanese",
            "material": "棉布",
            "dimensions": "8×6厘米",
            "quantity": "1",
            "condition": "mostly_complete",
            "donor": str(veteran.pk),
            "acquisition": "donation",
            "acquired_on": "2024-05-10",
            "grade": "third",
            "entry_location": "局库房一号柜",
            "published": "on",
        }
    )
    add_inline_rows(
        data,
        "images",
        [
            {"order": "1", "caption": "背面", "image": SimpleUploadedFile("b.jpg", jpeg_bytes())},
            {"order": "0", "caption": "正面", "image": SimpleUploadedFile("a.png", jpeg_bytes())},
        ],
    )
    response = staff_client.post(admin_url("artefact_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    artefact = Artefact.objects.get(name="八路军臂章")
    assert artefact.accession_number == "HS-2024-0001"
    assert [image.caption for image in artefact.images.all()] == ["正面", "背面"]
    assert all(
        image.image.name.startswith("redhistory/artefacts/") for image in artefact.images.all()
    )
    entry = artefact.current_custody
    assert (entry.kind, entry.location, entry.recorded_by) == (
        "entry",
        "局库房一号柜",
        bureau_staff,
    )
    page = staff_client.get(admin_url("artefact_change", artefact.pk))
    assert "thumbnails/small/redhistory/artefacts/" in page.content.decode()

    # 3. His oral history with a public release and a segment naming the artefact.
    data = form_data(staff_client.get(admin_url("oralhistory_add")))
    data.update(
        {
            "title": "太行山上的通讯员",
            "narrator": str(veteran.pk),
            "recorded_on": "2024-06-01",
            "theme": "battle",
            "period": "revolution",
            "transcript": "我十五岁参军。[restricted]家里的事不说了。[/restricted]",
            "status": "draft",
            "release-0-signed_on": "2024-06-01",
            "release-0-scope": "public",
        }
    )
    add_inline_rows(
        data,
        "segments",
        [
            {
                "start_seconds": "95",
                "title": "参军",
                "keywords": "参军 左权",
                "artefacts": [str(artefact.pk)],
            }
        ],
    )
    response = staff_client.post(admin_url("oralhistory_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    story = OralHistory.objects.get(title="太行山上的通讯员")
    assert story.release.scope == Release.Scope.PUBLIC
    assert list(story.segments.get().artefacts.all()) == [artefact]

    # 4. Draft → in review → published, by actions.
    changelist = admin_url("oralhistory_changelist")
    staff_client.post(changelist, {"action": "submit_for_review", "_selected_action": [story.pk]})
    staff_client.post(changelist, {"action": "publish", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == OralHistory.Status.PUBLISHED and story.published_at
    assert story in OralHistory.objects.public()


def test_accession_numbers_are_never_reused(staff_client):
    AccessionCounter.objects.create(year=2024, last=7)
    artefact = services.artefact_enter(
        artefact=Artefact(name="家书", category="letter", acquired_on=datetime.date(2024, 3, 1))
    )
    assert artefact.accession_number == "HS-2024-0008"
    # removed outside the UI, say by a database fix
    CustodyEvent.objects.filter(artefact=artefact).delete()
    Artefact.objects.filter(pk=artefact.pk).delete()
    again = services.artefact_enter(
        artefact=Artefact(name="家书", category="letter", acquired_on=datetime.date(2024, 3, 2))
    )
    assert again.accession_number == "HS-2024-0009"


def test_a_storage_move_added_in_the_chronology_goes_through_the_service(staff_client):
    artefact = ArtefactFactory(acquired_on=datetime.date(2024, 1, 5))
    url = admin_url("artefact_change", artefact.pk)
    data = form_data(staff_client.get(url))
    add_inline_rows(
        data,
        "custody_events",
        [{"kind": "storage", "starts_on": "2024-02-01", "location": "二号库房"}],
    )
    assert staff_client.post(url, data).status_code == 302
    current = artefact.current_custody
    assert (current.kind, current.location) == ("storage", "二号库房")
    assert artefact.custody_events.get(kind="entry").ends_on == datetime.date(2024, 2, 1)


def test_a_move_dated_before_the_last_event_is_refused(staff_client):
    artefact = ArtefactFactory(acquired_on=datetime.date(2024, 3, 1))
    url = admin_url("artefact_change", artefact.pk)
    data = form_data(staff_client.get(url))
    add_inline_rows(
        data,
        "custody_events",
        [{"kind": "storage", "starts_on": "2024-01-01", "location": "二号库房"}],
    )
    response = staff_client.post(url, data, follow=True)
    assert "记录" in response.content.decode() or "之前" in response.content.decode()
    assert artefact.custody_events.count() == 1


def test_deaccession_action_asks_for_a_reason_then_records_an_event(staff_client):
    artefact = ArtefactFactory(published=True)
    changelist = admin_url("artefact_changelist")
    response = staff_client.post(
        changelist, {"action": "deaccession", "_selected_action": [artefact.pk]}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].fields
    assert not artefact.custody_events.filter(kind="deaccession").exists()
    response = staff_client.post(
        changelist,
        {
            "action": "deaccession",
            "_selected_action": [artefact.pk],
            "apply": "1",
            "on": "2025-01-02",
            "reason": "归还出借人",
        },
    )
    assert response.status_code == 302
    event = artefact.custody_events.get(kind="deaccession")
    assert event.note == "归还出借人" and event.starts_on == datetime.date(2025, 1, 2)
    assert artefact not in Artefact.objects.public()
    assert Artefact.objects.filter(pk=artefact.pk).exists()


def test_loans_due_and_overdue_are_announced_and_filtered(staff_client):
    today = timezone.localdate()
    soon = ArtefactFactory(acquisition="loan", loan_due_on=today + datetime.timedelta(days=10))
    late = ArtefactFactory(acquisition="loan", loan_due_on=today - datetime.timedelta(days=3))
    ArtefactFactory(acquisition="loan", loan_due_on=today + datetime.timedelta(days=90))
    response = staff_client.get(admin_url("artefact_changelist"))
    assert response.context["loans"]["due"] == 1
    assert response.context["loans"]["overdue"] == 1
    response = staff_client.get(admin_url("artefact_changelist"), {"loan": "due"})
    assert set(response.context["cl"].result_list) == {soon, late}
    response = staff_client.get(admin_url("artefact_changelist"), {"loan": "overdue"})
    assert list(response.context["cl"].result_list) == [late]


def test_condition_check_added_in_the_admin_updates_the_condition(staff_client):
    artefact = ArtefactFactory(condition="complete")
    url = admin_url("artefact_change", artefact.pk)
    data = form_data(staff_client.get(url))
    add_inline_rows(
        data,
        "condition_checks",
        [{"checked_on": "2025-01-01", "condition": "damaged", "checked_by": "王干事"}],
    )
    assert staff_client.post(url, data).status_code == 302
    artefact.refresh_from_db()
    assert artefact.condition == "damaged"


# Publication ------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    """Bureau staff who may change oral histories but not publish them."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="editor")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="redhistory",
            codename__in=["view_oralhistory", "change_oralhistory", "view_veteran"],
        )
    )
    return user


def test_without_the_publish_permission_the_form_refuses_publication(client, editor):
    story = OralHistoryFactory(status="in_review")
    client.force_login(editor)
    url = admin_url("oralhistory_change", story.pk)
    data = form_data(client.get(url))
    data["status"] = "published"
    response = client.post(url, data)
    assert response.status_code == 200
    assert str(services.MESSAGE_NO_PUBLISH_PERMISSION) in response.content.decode()
    story.refresh_from_db()
    assert story.status == "in_review"


def test_without_the_publish_permission_there_is_no_publish_action(client, editor):
    story = OralHistoryFactory(status="in_review")
    client.force_login(editor)
    response = client.get(admin_url("oralhistory_changelist"))
    actions = response.context["cl"].model_admin.get_actions(response.wsgi_request)
    assert "publish" not in actions and "submit_for_review" in actions
    client.post(
        admin_url("oralhistory_changelist"), {"action": "publish", "_selected_action": [story.pk]}
    )
    story.refresh_from_db()
    assert story.status == "in_review"


def test_the_form_publishes_only_a_record_in_review_with_a_public_release(staff_client):
    story = OralHistoryFactory(status="in_review", release__scope="internal")
    url = admin_url("oralhistory_change", story.pk)
    data = form_data(staff_client.get(url))
    data["status"] = "published"
    response = staff_client.post(url, data)
    assert str(services.MESSAGE_NO_PUBLIC_RELEASE) in response.content.decode()
    story.release.scope = "public"
    story.release.save()
    data = form_data(staff_client.get(url))
    data["status"] = "published"
    assert staff_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.status == "published" and story.published_at is not None


def test_publishing_is_refused_during_an_embargo(staff_client):
    until = timezone.localdate() + datetime.timedelta(days=5)
    story = OralHistoryFactory(status="in_review", release__embargo_until=until)
    staff_client.post(
        admin_url("oralhistory_changelist"), {"action": "publish", "_selected_action": [story.pk]}
    )
    story.refresh_from_db()
    assert story.status == "in_review"


def test_an_ended_embargo_puts_the_record_in_the_review_filter(staff_client):
    today = timezone.localdate()
    ended = OralHistoryFactory(
        status="in_review", release__embargo_until=today - datetime.timedelta(days=1)
    )
    OralHistoryFactory(
        status="in_review", release__embargo_until=today + datetime.timedelta(days=9)
    )
    response = staff_client.get(admin_url("oralhistory_changelist"), {"embargo": "ended"})
    assert list(response.context["cl"].result_list) == [ended]
    assert ended not in OralHistory.objects.public()


def test_rescue_queue_lists_the_most_urgent_first(staff_client):
    calm = VeteranFactory(birth_year=1945)
    urgent = VeteranFactory(birth_year=1925, amnesic=True)
    response = staff_client.get(admin_url("rescuecandidate_changelist"))
    assert list(response.context["cl"].result_list)[:2] == [urgent, calm]
    assert "add" not in response.content.decode().split("addlink")[0][-5:]


def test_deaccessioned_custody_cannot_be_changed_again():
    base = EducationBaseFactory()
    artefact = ArtefactFactory()
    services.artefact_deaccession(artefact=artefact, on=datetime.date(2025, 1, 1), reason="移交")
    with pytest.raises(Exception) as error:
        services.custody_record(
            artefact=artefact,
            kind=CustodyEvent.Kind.DISPLAY,
            on=datetime.date(2025, 2, 1),
            base=base,
        )
    assert str(services.MESSAGE_DEACCESSIONED) in str(error.value)


def publish_by_form(client, story, **changes):
    url = admin_url("oralhistory_change", story.pk)
    data = form_data(client.get(url))
    data.update({"status": "published", **changes})
    return client.post(url, data)


def publish_by_action(client, story):
    return client.post(
        admin_url("oralhistory_changelist"), {"action": "publish", "_selected_action": [story.pk]}
    )


def test_an_oral_history_without_the_narrators_release_is_never_published(staff_client):
    story = OralHistoryFactory(status="in_review", release=False)
    response = publish_by_form(staff_client, story)
    assert response.status_code == 200
    assert str(services.MESSAGE_NO_PUBLIC_RELEASE) in response.content.decode()
    publish_by_action(staff_client, story)
    story.refresh_from_db()
    assert (story.status, story.published_at) == ("in_review", None)
    assert story not in OralHistory.objects.public()


def test_a_release_narrowed_in_the_same_save_keeps_the_story_off_the_site(staff_client):
    story = OralHistoryFactory(status="in_review", release__scope="public")
    response = publish_by_form(staff_client, story, **{"release-0-scope": "internal"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.release.scope == "internal"
    assert (story.status, story.published_at) == ("in_review", None)


def test_a_consented_oral_history_is_published_by_the_form_and_withdrawn_by_the_action(
    staff_client,
):
    story = OralHistoryFactory(status="in_review", release__scope="public")
    assert publish_by_form(staff_client, story).status_code == 302
    story.refresh_from_db()
    assert story.status == "published" and story.published_at is not None
    assert story in OralHistory.objects.public()
    staff_client.post(
        admin_url("oralhistory_changelist"), {"action": "withdraw", "_selected_action": [story.pk]}
    )
    story.refresh_from_db()
    assert (story.status, story.published_at) == ("draft", None)


def test_the_form_takes_the_steps_of_the_one_state_machine_only(staff_client, editor, client):
    story = OralHistoryFactory(published=True, release__scope="public")
    url = admin_url("oralhistory_change", story.pk)
    data = form_data(staff_client.get(url))
    data["status"] = "in_review"  # published → in review is no step: withdraw to draft
    response = staff_client.post(url, data)
    assert str(services.MESSAGE_NOT_DRAFT) in response.content.decode()
    client.force_login(editor)
    data["status"] = "draft"
    response = client.post(url, data)
    assert str(services.MESSAGE_NO_PUBLISH_PERMISSION) in response.content.decode()
    story.refresh_from_db()
    assert story.status == "published"
    draft = OralHistoryFactory()
    data = form_data(client.get(admin_url("oralhistory_change", draft.pk)))
    data["status"] = "in_review"
    assert client.post(admin_url("oralhistory_change", draft.pk), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "in_review"
