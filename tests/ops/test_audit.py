"""Every read of a member's full record is logged with who and when."""

import datetime

import pytest
from django.urls import reverse

from members.models import Member
from ops import audit
from ops.models import AccessLog


@pytest.fixture
def member(own_branch):
    return Member.objects.create(
        name="张建国",
        gender=Member.Gender.MALE,
        birth_date=datetime.date(1940, 5, 1),
        id_number="142401194005010018",
        phone="13903540001",
        joined_on=datetime.date(1962, 7, 1),
        employment=Member.Employment.RETIRED,
        organisation=own_branch,
    )


@pytest.mark.django_db
def test_opening_a_members_record_in_the_admin_is_logged(staff_client, bureau_staff, member):
    response = staff_client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert entry.user == bureau_staff
    assert entry.username == "staff"
    assert entry.object_id == str(member.pk)
    assert entry.content_type.model_class() is Member
    assert entry.action == AccessLog.Action.VIEW
    assert abs((entry.at - member_time()).total_seconds()) < 60


def member_time():
    from django.utils import timezone

    return timezone.now()


@pytest.mark.django_db
def test_the_history_of_a_record_is_logged_too(staff_client, member):
    staff_client.get(reverse("admin:members_member_history", args=[member.pk]))
    assert AccessLog.objects.get().action == AccessLog.Action.HISTORY


@pytest.mark.django_db
def test_a_record_outside_the_users_scope_is_not_shown_and_not_logged(
    client, other_secretary, member
):
    client.force_login(other_secretary)
    response = client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert response.status_code in (302, 404)
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_lists_and_other_models_are_not_logged(staff_client, member, own_base):
    staff_client.get(reverse("admin:members_member_changelist"))
    staff_client.get(reverse("admin:exhibitions_educationbase_change", args=[own_base.pk]))
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_record_read_is_the_hook_other_views_call(bureau_staff, member):
    audit.record_read(bureau_staff, member)
    audit.record_bulk_read(bureau_staff, Member.objects.all())
    actions = sorted(AccessLog.objects.values_list("action", flat=True))
    assert actions == ["export", "view"]


@pytest.mark.django_db
def test_nobody_edits_or_deletes_the_access_log(client, superuser, bureau_staff, member):
    entry = audit.record_read(bureau_staff, member)
    client.force_login(superuser)
    assert client.get(reverse("admin:ops_accesslog_changelist")).status_code == 200
    change = client.post(reverse("admin:ops_accesslog_change", args=[entry.pk]), {"username": "x"})
    assert change.status_code == 403 or AccessLog.objects.get().username == "staff"
    delete = client.post(reverse("admin:ops_accesslog_delete", args=[entry.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AccessLog.objects.count() == 1


@pytest.mark.django_db
def test_no_personal_data_reaches_the_logs(staff_client, member, caplog):
    caplog.set_level("DEBUG")
    staff_client.get(reverse("admin:members_member_change", args=[member.pk]))
    staff_client.get(reverse("admin:members_member_changelist") + "?q=张建国")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert member.id_number not in text
    assert member.phone not in text


@pytest.mark.django_db
def test_an_admin_export_of_an_audited_model_is_logged(rf, bureau_staff, settings):
    """Through the admin's export view (import-export's `<app>_<model>_export` URL)."""
    from django.http import HttpResponse
    from django.urls import ResolverMatch

    from ops.middleware import AuditReadMiddleware

    def export_view(request):
        response = HttpResponse(b"xlsx", content_type="application/vnd.ms-excel")
        response["Content-Disposition"] = 'attachment; filename="Member.xlsx"'
        return response

    request = rf.post("/admin/members/member/export/")
    request.user = bureau_staff
    request.resolver_match = ResolverMatch(
        export_view,
        (),
        {},
        url_name="members_member_export",
        app_names=["admin"],
        namespaces=["admin"],
    )
    AuditReadMiddleware(export_view)(request)
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id, entry.username) == ("export", "*", "staff")
