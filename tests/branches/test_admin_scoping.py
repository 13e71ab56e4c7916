"""Every persona over every branches/ admin page: the status each must get, and a secretary's
boundary at their own organisations (another organisation's record is a 404, never a form)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Meeting
from tests.factories.branches import MeetingFactory
from tests.factories.members import MemberFactory

SCOPED = ["organisation", "term", "activityroom", "honour", "meeting", "attendanceexemption"]
ALL_ACTIONS = {"view", "add", "change", "delete"}

# persona: (model: actions allowed), and whose records they reach ("all", "own" or "none").
RIGHTS = {
    "bureau_staff": (dict.fromkeys([*SCOPED, "unit"], ALL_ACTIONS), "all"),
    "manager": ({m: {"view"} for m in [*SCOPED, "unit"]}, "all"),
    "secretary": (
        {
            "unit": {"view"},
            "organisation": {"view"},
            "term": {"view"},
            "activityroom": {"view"},
            "honour": {"view"},
            "meeting": {"view", "add", "change"},
            "attendanceexemption": {"view", "add", "change"},
        },
        "own",
    ),
    "base_admin": ({"organisation": {"view"}}, "none"),
}


def url(name, *args):
    return reverse(f"admin:branches_{name}", args=args)


def expected_status(persona, model, page, whose=None):
    actions, scope = RIGHTS[persona]
    allowed = actions.get(model, set())
    if page == "changelist":
        return 200 if "view" in allowed else 403
    if page == "add":
        return 200 if "add" in allowed else 403
    in_scope = model == "unit" or scope == "all" or (scope == "own" and whose == "own")
    if not in_scope:
        return 404
    needed = {"change": "view", "history": "view", "delete": "delete"}[page]
    return 200 if needed in allowed else 403


def pages():
    for model in [*SCOPED, "unit"]:
        yield model, "changelist", None
        yield model, "add", None
        for page in ["change", "history", "delete"]:
            for whose in ["own", "other"]:
                yield model, page, whose


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(RIGHTS))
def test_every_persona_gets_the_right_status_on_every_admin_page(
    client, request, own_records, other_records, persona
):
    """One test per persona walks all pages (set-up is the costly part) and reports every miss."""
    client.force_login(request.getfixturevalue(persona))
    wrong = []
    for model, page, whose in pages():
        if page in ("changelist", "add"):
            target = url(f"{model}_{page}")
        else:
            records = own_records if whose == "own" else other_records
            obj = records["organisation"].unit if model == "unit" else records[model]
            target = url(f"{model}_{page}", obj.pk)
        status = client.get(target).status_code
        wanted = expected_status(persona, model, page, whose)
        if status != wanted:
            wrong.append((model, page, whose, status, wanted))
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED)
def test_a_secretarys_changelists_and_searches_hold_only_their_organisation(
    secretary_client, own_records, other_records, model
):
    response = secretary_client.get(url(f"{model}_changelist"))
    assert list(response.context["cl"].result_list) == [own_records[model]]
    response = secretary_client.get(url(f"{model}_changelist"), {"q": "别支部"})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED)
def test_staff_and_managers_see_every_organisations_records(
    client, bureau_staff, manager, own_records, other_records, model
):
    for user in (bureau_staff, manager):
        client.force_login(user)
        response = client.get(url(f"{model}_changelist"))
        shown = set(response.context["cl"].result_list)
        assert {own_records[model], other_records[model]} <= shown


@pytest.mark.django_db
def test_the_organisation_filter_offers_a_secretary_only_their_organisation(
    secretary_client, own_records, other_records
):
    response = secretary_client.get(url("meeting_changelist"))
    html = response.content.decode()
    assert "局机关支部" in html and "市休干所老干部支部" not in html
    response = secretary_client.get(
        url("meeting_changelist"), {"organisation__id__exact": other_records["organisation"].pk}
    )
    # A filter naming another organisation never brings its meetings in.
    assert other_records["meeting"] not in response.context["cl"].result_list


@pytest.mark.django_db
def test_a_secretary_cannot_read_an_old_version_of_another_organisations_meeting(
    secretary_client, other_records
):
    meeting = other_records["meeting"]
    meeting.topic = "改过的主题"
    meeting.save()
    version = meeting.history.first()
    target = reverse("admin:branches_meeting_simple_history", args=[meeting.pk, version.history_id])
    assert secretary_client.get(target).status_code == 404


def meeting_data(organisation, **extra):
    return {
        "organisation": str(organisation.pk),
        "kind": "themed_day",
        "held_on": "2026-05-04",
        "topic": "重温入党誓词",
        "place": "党员活动室",
        "base": "",
        "minutes": "",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        **extra,
    }


@pytest.mark.django_db
def test_a_secretary_cannot_create_a_meeting_for_another_organisation(
    secretary_client, own_branch, other_branch
):
    page = secretary_client.get(url("meeting_add"))
    choices = [
        str(label)
        for _value, label in page.context["adminform"].form.fields["organisation"].choices
    ]
    assert "局机关支部" in choices and "市休干所老干部支部" not in choices
    response = secretary_client.post(url("meeting_add"), meeting_data(other_branch))
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not Meeting.objects.exists()
    # What was typed stays in the form.
    assert 'value="重温入党誓词"' in response.content.decode()


@pytest.mark.django_db
def test_a_secretary_records_a_meeting_and_its_attendance_fills_from_the_roster(
    secretary_client, own_branch
):
    members = MemberFactory.create_batch(3, organisation=own_branch)
    response = secretary_client.post(url("meeting_add"), meeting_data(own_branch))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.organisation == own_branch
    assert set(meeting.attendances.values_list("member", flat=True)) == {m.pk for m in members}
    assert meeting.history.first().history_user.username == "secretary"


@pytest.mark.django_db
def test_a_secretary_cannot_put_another_branchs_member_on_the_attendance(
    secretary_client, own_branch, other_branch
):
    outsider = MemberFactory(organisation=other_branch)
    data = meeting_data(
        own_branch,
        **{
            "attendances-TOTAL_FORMS": "1",
            "attendances-0-member": str(outsider.pk),
            "attendances-0-status": "present",
            "attendances-0-reason": "",
        },
    )
    response = secretary_client.post(url("meeting_add"), data)
    assert response.status_code == 200
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_secretarys_post_to_another_organisations_meeting_changes_nothing(
    secretary_client, other_records
):
    meeting = other_records["meeting"]
    response = secretary_client.post(
        url("meeting_change", meeting.pk), meeting_data(meeting.organisation, topic="被篡改")
    )
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.topic == "别支部主题党日"


@pytest.mark.django_db
def test_member_autocomplete_offers_a_secretary_only_their_members(
    secretary_client, own_records, other_records
):
    response = secretary_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "branches", "model_name": "meetingattendance", "field_name": "member"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(own_records["member"].pk)]


@pytest.mark.django_db
def test_the_meeting_export_holds_only_the_secretarys_meetings(
    secretary_client, own_records, other_records
):
    response = secretary_client.get(url("meeting_export"))
    assert response.status_code == 200
    form = response.context["form"]
    xlsx = next(i for i, label in form.fields["format"].choices if str(label) == "xlsx")
    data = {"format": str(xlsx), "resource": "0"}
    for name in form.fields:
        if name.startswith("meetingresource_"):
            data[name] = "on"
    response = secretary_client.post(url("meeting_export"), data)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert "主题" in rows[0]
    topics = [row[rows[0].index("主题")] for row in rows[1:]]
    assert topics == ["本支部主题党日"]


@pytest.mark.django_db
def test_export_escapes_a_topic_that_looks_like_a_formula(staff_client, own_branch):
    MeetingFactory(organisation=own_branch, topic='=HYPERLINK("http://x")')
    response = staff_client.get(url("meeting_export"))
    form = response.context["form"]
    xlsx = next(i for i, label in form.fields["format"].choices if str(label) == "xlsx")
    data = {"format": str(xlsx), "resource": "0"}
    data.update({n: "on" for n in form.fields if n.startswith("meetingresource_")})
    rows = list(
        load_workbook(
            io.BytesIO(staff_client.post(url("meeting_export"), data).content)
        ).active.values
    )
    assert rows[1][rows[0].index("主题")].startswith("'=")


@pytest.mark.django_db
def test_the_yearly_view_and_reminders_stop_at_the_secretarys_boundary(
    secretary_client, own_records, other_records
):
    response = secretary_client.get(url("meeting_yearly"), {"year": "2026"})
    assert response.status_code == 200
    names = [oy.organisation.name for oy in response.context["organisation_years"]]
    assert names == ["局机关支部"]
    other = other_records["organisation"]
    assert (
        secretary_client.get(url("meeting_yearly"), {"organisation": other.pk}).status_code == 404
    )
    assert secretary_client.get(url("organisation_reminders", other.pk)).status_code == 404
    own = own_records["organisation"]
    assert secretary_client.get(url("organisation_reminders", own.pk)).status_code == 200
    response = secretary_client.get(url("organisation_reminders_all"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("bureau_staff", 200), ("manager", 200), ("secretary", 200), ("base_admin", 403)],
)
def test_who_may_open_the_yearly_view_and_the_reminders(
    client, request, own_records, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("meeting_yearly")).status_code == status
    # A base administrator may view organisations (all of none), so their reminders are empty.
    response = client.get(url("organisation_reminders_all"))
    assert response.status_code == 200
    if persona == "base_admin":
        assert response.context["terms_due"] == [] and response.context["terms_overdue"] == []


@pytest.mark.django_db
def test_the_fill_attendance_action_is_refused_to_a_manager(manager_client, own_records):
    response = manager_client.post(
        url("meeting_changelist"),
        {"action": "fill_attendance", "_selected_action": [own_records["meeting"].pk]},
    )
    assert response.status_code == 200  # an action the user lacks is not offered
    assert own_records["meeting"].attendances.count() == 0


@pytest.mark.django_db
def test_a_secretary_cannot_exempt_another_branchs_member(
    secretary_client, own_branch, other_branch
):
    from branches.models import AttendanceExemption

    outsider = MemberFactory(organisation=other_branch)
    data = {
        "member": str(outsider.pk),
        "reason": "bedridden",
        "note": "",
        "starts_on": "2026-01-01",
    }
    response = secretary_client.post(url("attendanceexemption_add"), data)
    assert response.status_code == 200
    assert "member" in response.context["adminform"].form.errors
    assert not AttendanceExemption.objects.exists()
    own = MemberFactory(organisation=own_branch)
    data["member"] = str(own.pk)
    assert secretary_client.post(url("attendanceexemption_add"), data).status_code == 302
    assert AttendanceExemption.objects.get().member == own


@pytest.mark.django_db
def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_stored(
    secretary_client, own_records, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from branches.models import MeetingPhoto

    settings.MEDIA_ROOT = tmp_path
    meeting = own_records["meeting"]
    page = secretary_client.get(url("meeting_change", meeting.pk))
    assert page.status_code == 200
    data = meeting_data(
        meeting.organisation,
        held_on=meeting.held_on.isoformat(),
        topic=meeting.topic,
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-caption": "会场",
            "photos-0-image": SimpleUploadedFile(
                "photo.png", b"\x89PNG\r\n\x1a\n<html>not an image</html>", "image/png"
            ),
        },
    )
    response = secretary_client.post(url("meeting_change", meeting.pk), data)
    assert response.status_code == 200
    assert not MeetingPhoto.objects.exists()
    assert not any(tmp_path.rglob("*.png"))


@pytest.mark.django_db
def test_staff_record_a_term_and_its_committee(staff_client, own_branch, other_branch):
    from branches.models import Term

    secretary_member = MemberFactory(organisation=own_branch)
    outsider = MemberFactory(organisation=other_branch)
    data = {
        "organisation": str(own_branch.pk),
        "starts_on": "2026-06-01",
        "note": "",
        "posts-TOTAL_FORMS": "2",
        "posts-INITIAL_FORMS": "0",
        "posts-0-post": "secretary",
        "posts-0-member": str(secretary_member.pk),
        "posts-1-post": "publicity",
        "posts-1-member": str(outsider.pk),
    }
    response = staff_client.post(url("term_add"), data)
    assert response.status_code == 200  # the outsider cannot sit on this committee
    assert not Term.objects.exists()
    data["posts-TOTAL_FORMS"] = "1"
    assert staff_client.post(url("term_add"), data).status_code == 302
    term = Term.objects.get()
    assert term.due_on.isoformat() == "2029-06-01"
    assert own_branch.current_secretary() == secretary_member


def offered_actions(response):
    form = response.context.get("action_form")
    if form is None:
        return set()
    return {value for value, _label in form.fields["action"].choices if value}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bureau_staff", "manager", "secretary"])
def test_every_persona_is_offered_only_the_actions_it_may_run(
    client, request, own_records, persona
):
    client.force_login(request.getfixturevalue(persona))
    actions, _scope = RIGHTS[persona]
    for model in SCOPED:
        response = client.get(url(f"{model}_changelist"))
        offered = offered_actions(response)
        wanted = set()
        if "delete" in actions[model]:
            wanted.add("delete_selected")
        if model == "meeting" and "change" in actions[model]:
            wanted.add("fill_attendance")
        # Export of selected rows comes with import-export, for those who may export.
        offered.discard("export_admin_action")
        assert offered == wanted, model


@pytest.mark.django_db
def test_an_action_on_another_organisations_meeting_does_nothing(
    secretary_client, own_branch, own_records, other_records
):
    MemberFactory(organisation=other_records["organisation"])
    other = other_records["meeting"]
    response = secretary_client.post(
        url("meeting_changelist"), {"action": "fill_attendance", "_selected_action": [other.pk]}
    )
    assert response.status_code in (200, 302)
    assert other.attendances.count() == 0
