"""The portal's four roles, as auth groups with exact permissions.

The groups are created by `branches/migrations/0002_roles.py`; their permissions are set again
after every `migrate` (a post_migrate handler), so that a model added by a later migration is
covered at once. Bureau staff and managers are defined by rule; what a branch secretary and a
base administrator may touch is listed by each app in its `permissions.py`
(`SECRETARY_PERMISSIONS`, `BASE_ADMINISTRATOR_PERMISSIONS`), next to the models it names.
"""

from importlib import import_module

from django.conf import settings

BUREAU_STAFF = "局机关工作人员"
BRANCH_SECRETARY = "支部书记"
BASE_ADMINISTRATOR = "基地管理员"
MANAGER = "领导"
ROLES = [BUREAU_STAFF, BRANCH_SECRETARY, BASE_ADMINISTRATOR, MANAGER]

# Members and collection records are never hard-deleted through the UI: they leave the roster
# by a status event, or the collection by a recorded deaccession.
NEVER_DELETED = {
    "members.member",
    "redhistory.veteran",
    "redhistory.artefact",
    "redhistory.oralhistory",
    "redhistory.custodyevent",
}

# Permissions that widen what a user sees; they are never granted by "all of an app".
MANAGER_EXTRA = {
    "branches.access_all_organisations",
    "exhibitions.access_all_bases",
}


def _app_permission_lists(name):
    merged = []
    for app in settings.PORTAL_APPS:
        try:
            module = import_module(f"{app}.permissions")
        except ModuleNotFoundError:
            continue
        merged.extend(getattr(module, name, []))
    return merged


def role_permissions(all_permissions):
    """Maps each role to the set of "app_label.codename" it holds, given every portal permission.

    `all_permissions` is an iterable of (app_label, codename, model) for the portal's apps.
    """
    # simple-history's Historical* models are read through their record's admin, not granted.
    all_perms = {
        (f"{app}.{codename}", f"{app}.{model}")
        for app, codename, model in all_permissions
        if not model.startswith("historical")
    }
    names = {perm for perm, _model in all_perms}

    staff = {
        perm
        for perm, model in all_perms
        if not (perm.split(".")[1].startswith("delete_") and model in NEVER_DELETED)
    }
    manager = {
        perm
        for perm in names
        if perm.split(".")[1].startswith(("view_", "export_"))
        and perm != "members.view_personal_data"
    } | (MANAGER_EXTRA & names)
    if "visits.view_statistics" in names:
        manager.add("visits.view_statistics")
    secretary = set(_app_permission_lists("SECRETARY_PERMISSIONS")) & names
    base_admin = set(_app_permission_lists("BASE_ADMINISTRATOR_PERMISSIONS")) & names
    return {
        BUREAU_STAFF: staff,
        BRANCH_SECRETARY: secretary,
        BASE_ADMINISTRATOR: base_admin,
        MANAGER: manager,
    }


def sync_roles(apps=None):
    """Creates the four groups if missing and sets exactly the permissions each role holds."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    portal_permissions = list(
        Permission.objects.filter(content_type__app_label__in=settings.PORTAL_APPS).values_list(
            "pk", "content_type__app_label", "codename", "content_type__model"
        )
    )
    by_name = {f"{app}.{codename}": pk for pk, app, codename, _model in portal_permissions}
    wanted = role_permissions(
        (app, codename, model) for _pk, app, codename, model in portal_permissions
    )
    for role, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[perm] for perm in sorted(perms)])


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    # Runs after each app's post_migrate; only the last portal app has every permission.
    if sender.name != settings.PORTAL_APPS[-1]:
        return
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_roles()


def user_sees_all_organisations(user):
    return user.is_superuser or user.has_perm("branches.access_all_organisations")


def user_sees_all_bases(user):
    return user.is_superuser or user.has_perm("exhibitions.access_all_bases")


def user_has_role(user, role):
    return user.groups.filter(name=role).exists()
