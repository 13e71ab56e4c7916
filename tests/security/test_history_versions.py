"""The version page of django-simple-history (`…/<pk>/history/<version>/`) is read-only for
everyone: a POST is refused (403) and changes nothing, whoever sends it; a version outside the
user's scope is a 404; every history admin of the registry goes through the core base that
guards it (docs/security.md, "Revert")."""

import datetime

import pytest
from django.contrib import admin
from django.db.models import FileField
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.scoped_admin import HistoryAdmin
from members.models import MemberEvent
from members.services import member_move
from redhistory.models import Veteran
from tests.factories.members import MemberFactory
from tests.factories.redhistory import VeteranFactory
from tests.factories.visits import BookingFactory, VisitFactory


def version_url(obj, version):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.pk]
    )


def test_every_history_admin_uses_the_guarded_core_base():
    unguarded = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert unguarded == []


def test_revert_is_disabled_in_settings():
    from django.conf import settings as live

    assert live.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_manager_cannot_publish_a_veteran_through_an_old_version(manager_client):
    veteran = VeteranFactory(public_profile=False)
    version = veteran.history.latest()
    data = {
        field.name: getattr(veteran, field.attname)
        for field in Veteran._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and not isinstance(field, FileField)
        and getattr(veteran, field.attname) is not None
    }
    data["public_profile"] = "on"
    response = manager_client.post(version_url(veteran, version), data)
    assert response.status_code == 403
    veteran.refresh_from_db()
    assert veteran.public_profile is False


@pytest.mark.parametrize("persona", ["bureau_staff", "manager"])
def test_the_version_page_is_read_only_for_everyone(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    veteran = VeteranFactory(name="张三")
    response = client.get(version_url(veteran, veteran.history.latest()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name"' not in html
    assert "张三" in html
    assert 'name="_save"' not in html


def test_staff_posting_an_old_version_changes_nothing(staff_client):
    veteran = VeteranFactory(name="张三")
    old = veteran.history.latest()
    veteran.name = "李四"
    veteran.save()
    response = staff_client.post(version_url(veteran, old), {"name": "张三"})
    assert response.status_code == 403
    veteran.refresh_from_db()
    assert veteran.name == "李四"


def test_a_member_moved_into_a_branch_is_not_moved_back_through_its_old_version(
    client, secretary, other_branch, own_branch, bureau_staff
):
    member = MemberFactory(organisation=other_branch)
    in_other_branch = member.history.latest()
    member_move(
        member=member, to_organisation=own_branch, on=datetime.date(2025, 1, 1), by=bureau_staff
    )
    events = MemberEvent.objects.filter(member=member).count()
    client.force_login(secretary)
    # The version from before the move belongs to the other branch: not the secretary's to see.
    assert client.get(version_url(member, in_other_branch)).status_code == 404
    response = client.post(
        version_url(member, in_other_branch),
        {"organisation": other_branch.pk, "name": member.name},
    )
    assert response.status_code in (403, 404)
    member.refresh_from_db()
    assert member.organisation == own_branch
    assert MemberEvent.objects.filter(member=member).count() == events
    # Their own branch's version of the same member is theirs to read.
    assert client.get(version_url(member, member.history.latest())).status_code == 200


@pytest.mark.parametrize("factory", [VisitFactory, BookingFactory])
def test_a_visit_or_booking_moved_between_bases_is_not_moved_back(
    client, base_admin, own_base, other_base, factory
):
    obj = factory(base=other_base)
    at_other_base = obj.history.latest()
    obj.base = own_base
    obj.save()
    client.force_login(base_admin)
    assert client.get(version_url(obj, at_other_base)).status_code == 404
    response = client.post(version_url(obj, at_other_base), {"base": other_base.pk})
    assert response.status_code in (403, 404)
    obj.refresh_from_db()
    assert obj.base == own_base
    assert client.get(version_url(obj, obj.history.latest())).status_code == 200


def test_a_base_administrator_opens_an_old_version_of_their_base(client, base_admin, own_base):
    old = own_base.history.latest()
    own_base.name = "左权县红色教育基地（新）"
    own_base.save()
    client.force_login(base_admin)
    assert client.get(version_url(own_base, old)).status_code == 200


def test_the_member_event_history_page_answers(staff_client):
    member = MemberFactory()
    event = MemberEvent.objects.filter(member=member).first()
    url = reverse("admin:members_memberevent_history", args=[event.pk])
    assert staff_client.get(url).status_code == 200
