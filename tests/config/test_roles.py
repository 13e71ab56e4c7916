import pytest
from django.contrib.auth.models import Group

from core import roles


def perms_of(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_the_migration_creates_exactly_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    assert set(roles.ROLES) == {"局机关工作人员", "支部书记", "基地管理员", "领导"}


@pytest.mark.django_db
def test_bureau_staff_enter_everything_but_never_hard_delete_members_or_collection_records():
    perms = perms_of(roles.BUREAU_STAFF)
    assert {"members.add_member", "members.change_member", "members.view_personal_data"} <= perms
    assert {"redhistory.add_artefact", "visits.add_visit", "exhibitions.add_educationbase"} <= perms
    for never in [
        "members.delete_member",
        "redhistory.delete_artefact",
        "redhistory.delete_veteran",
    ]:
        assert never not in perms


@pytest.mark.django_db
def test_managers_read_everything_and_export_but_change_nothing():
    perms = perms_of(roles.MANAGER)
    assert "members.view_member" in perms and "visits.view_statistics" in perms
    assert "members.export_member" in perms
    assert not [p for p in perms if p.split(".")[1].startswith(("add_", "change_", "delete_"))]
    assert "members.view_personal_data" not in perms


@pytest.mark.django_db
def test_secretaries_and_base_administrators_hold_only_their_apps_lists():
    secretary = perms_of(roles.BRANCH_SECRETARY)
    assert "members.change_member" in secretary
    assert "branches.access_all_organisations" not in secretary
    assert "members.view_personal_data" not in secretary
    assert not [p for p in secretary if p.startswith(("exhibitions.", "visits.", "redhistory."))]
    base_admin = perms_of(roles.BASE_ADMINISTRATOR)
    assert "exhibitions.change_educationbase" in base_admin
    assert "exhibitions.access_all_bases" not in base_admin
    assert not [p for p in base_admin if p.startswith("members.")]


@pytest.mark.django_db
def test_persona_scoping_helpers(bureau_staff, manager, secretary, base_admin):
    assert roles.user_sees_all_organisations(bureau_staff)
    assert roles.user_sees_all_organisations(manager)
    assert not roles.user_sees_all_organisations(secretary)
    assert roles.user_sees_all_bases(bureau_staff)
    assert not roles.user_sees_all_bases(base_admin)
