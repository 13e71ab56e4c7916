"""Every persona × every registered admin model × every admin door, generated from
`admin.site._registry`, so a model registered tomorrow is walked the day it lands.

Doors: changelist, each list filter (one value), search, add, change (GET and POST), delete
(GET and POST), history, each history version (GET and POST), autocomplete, export, import,
import confirm, each action, and the admin's own URLs beyond Django's.

The expectations come from the persona's permissions as the database grants them
(`user.get_all_permissions()`, the roles of core/roles.py) and from where the test put the
object, never from the admin under test:
- no door answers 500;
- a visitor without an account is sent to the login page, everywhere;
- a door needs its permission: without view/change a read door is refused, without
  add/change/delete a POST changes nothing (every table counted, the object compared);
- a version page never saves (403 for every POST);
- the one object of a scoped model sits in `other_branch` / `other_base`: the secretary of
  `own_branch` and the administrator of `own_base` are outsiders (404/403 on every object door),
  `other_secretary` and `other_base_admin` are insiders (200 where they may view).
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from import_export.admin import ExportMixin, ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from core import roles
from members.models import MemberEvent
from tests.factories.accounts import UserFactory
from tests.factories.branches import (
    ActivityRoomFactory,
    HonourFactory,
    MeetingFactory,
    TermFactory,
    UnitFactory,
)
from tests.factories.exhibitions import ExhibitionSectionFactory
from tests.factories.members import CareVisitFactory, DuesPaymentFactory, MemberFactory
from tests.factories.redhistory import (
    ArtefactFactory,
    FieldVisitFactory,
    MicroFilmFactory,
    OralHistoryFactory,
    VeteranFactory,
)
from tests.factories.visits import BookingFactory, VisitFactory

PERSONAS = [
    "bureau_staff",
    "secretary",
    "other_secretary",
    "base_admin",
    "other_base_admin",
    "manager",
    "no_role",
    "anonymous",
]
STANDARD = ("changelist", "add", "change", "delete", "history", "simple_history", "autocomplete")
# Registered models the world has no row of (their object doors are not walked).
WITHOUT_OBJECT = {"django_tasks_database.DBTaskResult"}


@pytest.fixture
def other_base_admin(other_base):
    user = UserFactory(username="other_base_admin", roles=[roles.BASE_ADMINISTRATOR])
    other_base.administrators.add(user)
    return user


@pytest.fixture
def no_role(db):
    return UserFactory(username="no_role")


def build_world(other_branch, other_base):
    """One object per registered model; the scoped ones in other_branch / other_base."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as AxesLog
    from django.contrib.contenttypes.models import ContentType

    from branches.models import AttendanceExemption
    from ops.models import AccessLog
    from visits.models import Closure

    member = MemberFactory(organisation=other_branch)
    veteran = VeteranFactory()
    attempt = {"user_agent": "ua", "ip_address": "10.0.0.1", "username": "x", "path_info": "/"}
    objects = {
        "branches.Unit": UnitFactory(),
        "branches.Organisation": other_branch,
        "branches.Term": TermFactory(organisation=other_branch),
        "branches.Honour": HonourFactory(organisation=other_branch),
        "branches.Meeting": MeetingFactory(organisation=other_branch),
        "branches.AttendanceExemption": AttendanceExemption.objects.create(
            member=member, reason="illness", starts_on=datetime.date(2024, 1, 1)
        ),
        "members.Member": member,
        "members.MemberEvent": MemberEvent.objects.filter(member=member).first(),
        "members.DuesPayment": DuesPaymentFactory(member=member),
        "members.CareVisit": CareVisitFactory(member=member),
        "redhistory.Veteran": veteran,
        "redhistory.RescueCandidate": veteran,
        "redhistory.FieldVisit": FieldVisitFactory(veteran=veteran),
        "redhistory.Artefact": ArtefactFactory(donor=veteran),
        "redhistory.OralHistory": OralHistoryFactory(narrator=veteran),
        "redhistory.MicroFilm": MicroFilmFactory(),
        "exhibitions.EducationBase": other_base,
        "exhibitions.ExhibitionSection": ExhibitionSectionFactory(base=other_base),
        "visits.Visit": VisitFactory(base=other_base),
        "visits.Booking": BookingFactory(base=other_base),
        "visits.Closure": Closure.objects.create(
            base=other_base,
            first_day=datetime.date(2025, 2, 1),
            last_day=datetime.date(2025, 2, 3),
            reason="修缮",
        ),
        "ops.AccessLog": AccessLog.objects.create(
            username="x",
            content_type=ContentType.objects.get_for_model(member),
            object_id=str(member.pk),
            action="view",
        ),
        "axes.AccessAttempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "axes.AccessLog": AxesLog.objects.create(**attempt),
        "axes.AccessFailureLog": AccessFailureLog.objects.create(**attempt),
        "auth.Group": Group.objects.get(name=roles.MANAGER),
    }
    room = ActivityRoomFactory()
    room.organisations.add(other_branch)
    objects["branches.ActivityRoom"] = room
    return objects


# Written by reading: the audit log of who opened a record, and the login log.
WRITTEN_BY_READS = {
    "ops.AccessLog",
    "axes.AccessLog",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
}


def state(objects):
    """Every registered table's row count and each walked object's values."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in admin.site._registry
        if model._meta.label not in WRITTEN_BY_READS
    }
    rows = {
        label: list(type(obj)._default_manager.filter(pk=obj.pk).values())
        for label, obj in objects.items()
        if label not in WRITTEN_BY_READS
    }
    return counts, rows


def scope_of(model):
    queryset = model._default_manager.all()
    if getattr(queryset, "organisation_path", None) is not None:
        return "organisation"
    if getattr(queryset, "base_path", None) is not None:
        return "base"
    return None


INSIDERS = {"organisation": {"other_secretary"}, "base": {"other_base_admin"}}
OUTSIDERS = {"organisation": {"secretary"}, "base": {"base_admin"}}


def custom_urls(model_admin, obj):
    """The admin's own URLs beyond Django's, with the object's pk (and "approve" for an action)."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None)
        if not name or any(name == prefix + door for door in STANDARD):
            continue
        if name.endswith(("_import", "_process_import", "_export")):
            continue
        converters = list(getattr(pattern.pattern, "converters", {}))
        if converters and obj is None:
            continue
        kwargs = {key: obj.pk if key == "object_id" else "approve" for key in converters}
        try:
            yield name, reverse(f"admin:{name}", kwargs=kwargs)
        except NoReverseMatch:
            continue


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_door_of_every_admin_model(
    persona, request, client, other_branch, other_base, own_branch, own_base
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    # Fixtures the personas need exist whoever walks, so every walk sees the same world.
    for name in ("secretary", "base_admin", "other_secretary", "other_base_admin"):
        request.getfixturevalue(name)
    if user is not None:
        client.force_login(user)
    objects = build_world(other_branch, other_base)
    perms = set() if user is None else user.get_all_permissions()
    failures = []

    def check(label, method, url, data=None, *, may, changes_allowed=False, expect=None):
        before = None if changes_allowed or method == "get" else state(objects)
        response = getattr(client, method)(url, data or {})
        status = response.status_code
        where = f"{persona} {method.upper()} {url} ({label})"
        if status >= 500:
            failures.append(f"{where}: {status}")
        elif user is None and status != 302:
            failures.append(f"{where}: {status} for a visitor without an account")
        elif not may and status == 200 and method == "get":
            failures.append(f"{where}: 200 without permission")
        elif expect is not None and status not in expect:
            failures.append(f"{where}: {status}, expected {sorted(expect)}")
        if before is not None and state(objects) != before:
            failures.append(f"{where}: changed the database without permission")
        return response

    def walk(model, model_admin):
        opts = model._meta
        label = opts.label
        base = f"admin:{opts.app_label}_{opts.model_name}"
        can = {
            a: f"{opts.app_label}.{a}_{opts.model_name}" in perms
            for a in ("view", "add", "change", "delete")
        }
        can_read = can["view"] or can["change"]
        obj = objects.get(label) or model._default_manager.order_by("pk").first()
        if obj is None and label not in WITHOUT_OBJECT:
            failures.append(f"no {label} to walk: add it to build_world")
        scope = scope_of(model)
        outsider = scope is not None and persona in OUTSIDERS[scope]
        insider = scope is not None and persona in INSIDERS[scope]

        changelist = reverse(f"{base}_changelist")
        response = check(label, "get", changelist, may=can_read)
        if response.status_code == 200 and "cl" in (response.context or {}):
            for spec in response.context["cl"].filter_specs:
                choices = [c for c in spec.choices(response.context["cl"]) if not c["selected"]]
                if choices:
                    check(label, "get", changelist + choices[0]["query_string"], may=can_read)
            if outsider and obj is not None:
                shown = {o.pk for o in response.context["cl"].result_list}
                if obj.pk in shown:
                    failures.append(f"{persona} sees an outsider's {label} in the changelist")
        if model_admin.search_fields:
            check(label, "get", changelist + "?q=%E5%BC%A0", may=can_read)
        check(label, "get", reverse(f"{base}_add"), may=can["add"])
        check(label, "post", reverse(f"{base}_add"), {"name": "x"}, may=can["add"],
              changes_allowed=can["add"])  # fmt: skip

        if obj is not None:
            change = reverse(f"{base}_change", args=[obj.pk])
            object_expect = {403, 404} if outsider and user is not None else None
            response = check(label, "get", change, may=can_read and not outsider,
                             expect=object_expect)  # fmt: skip
            if insider and can_read and response.status_code != 200:
                failures.append(f"{persona} cannot open their own {label}: {response.status_code}")
            check(label, "post", change, {"name": "改了"}, may=can["change"] and not outsider,
                  changes_allowed=can["change"] and not outsider, expect=object_expect)  # fmt: skip
            check(
                label,
                "get",
                reverse(f"{base}_delete", args=[obj.pk]),
                may=can["delete"] and not outsider,
                expect=object_expect,
            )
            history = reverse(f"{base}_history", args=[obj.pk])
            check(label, "get", history, may=can_read and not outsider, expect=object_expect)
            if isinstance(model_admin, SimpleHistoryAdmin) and hasattr(model, "history"):
                for version in model.history.filter(pk=obj.pk).order_by("history_id"):
                    url = reverse(f"{base}_simple_history", args=[obj.pk, version.history_id])
                    check(label, "get", url, may=can_read and not outsider, expect=object_expect)
                    # The version page never saves, whoever posts.
                    expect = {403, 404} if user is not None else None
                    check(label, "post", url, {"name": "改了"}, may=False, expect=expect)

        for _name, url in custom_urls(model_admin, obj):
            allowed = (can["add"] or can["change"]) and not outsider
            check(label, "get", url, may=can_read or allowed)
            check(label, "post", url, {}, may=allowed, changes_allowed=allowed)

        if model_admin.search_fields:
            autocomplete = reverse("admin:autocomplete")
            check(label, "get", autocomplete,
                  {"app_label": opts.app_label, "model_name": opts.model_name,
                   "field_name": "id", "term": "x"}, may=can_read)  # fmt: skip
        if isinstance(model_admin, ExportMixin):
            may_export = f"{opts.app_label}.export_{opts.model_name}" in perms
            url = reverse(f"{base}_export")
            check(label, "get", url, may=may_export)
            check(label, "post", url, {"format": "0"}, may=may_export)
        if isinstance(model_admin, ImportMixin):
            may_import = f"{opts.app_label}.import_{opts.model_name}" in perms
            check(label, "get", reverse(f"{base}_import"), may=may_import)
            check(label, "post", reverse(f"{base}_process_import"),
                  {"import_file_name": "../../etc/passwd", "original_file_name": "x.xlsx",
                   "format": "0", "resource": "0"}, may=False)  # fmt: skip

        if obj is not None:
            # A permitted delete is undone at once, so the actions below still find the object.
            savepoint = transaction.savepoint()
            may_delete = can["delete"] and not outsider
            check(label, "post", reverse(f"{base}_delete", args=[obj.pk]), {"post": "yes"},
                  may=may_delete, changes_allowed=may_delete, expect=object_expect)  # fmt: skip
            transaction.savepoint_rollback(savepoint)
        # Last: a permitted action (delete_selected) may remove the object.
        actions = [] if user is None else list(model_admin.get_actions(_request(user)))
        for action in actions:
            allowed = (can["change"] or can["delete"] or can["add"]) and not outsider
            data = {"action": action, "_selected_action": [obj.pk] if obj else [], "post": "yes"}
            check(label, "post", changelist, data, may=allowed, changes_allowed=allowed)

    for model, model_admin in admin.site._registry.items():
        # Each model's walk is undone before the next: a permitted delete or action must not
        # take away the object another model's walk needs.
        savepoint = transaction.savepoint()
        walk(model, model_admin)
        transaction.savepoint_rollback(savepoint)

    assert failures == []


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request
