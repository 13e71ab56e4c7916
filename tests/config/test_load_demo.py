import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.demo import DEMO_ACCOUNTS, load_demo

# Totals rebuilt from the visits (visits/summary.py): their rows are compared without their ids.
DERIVED = {"visits.VisitSummary", "visits.VisitMonthSummary"}


def snapshot():
    """Every portal row, as field values, to prove a second run changes nothing."""
    rows = {}
    for app_label in ["branches", "members", "redhistory", "exhibitions", "visits"]:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            if model._meta.label in DERIVED:
                values = (
                    {k: v for k, v in row.items() if k != "id"} for row in model.objects.values()
                )
                rows[model._meta.label] = sorted(
                    values, key=lambda row: sorted(map(str, row.items()))
                )
                continue
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    rows["users"] = list(get_user_model().objects.order_by("pk").values())
    return rows


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_the_logins(capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = snapshot()
    output = capsys.readouterr().out
    for username, _role, _purpose in DEMO_ACCOUNTS:
        assert username in output
    call_command("load_demo")
    second = snapshot()
    # Name the tables that changed rather than diff some hundred thousand rows.
    assert [label for label in first if first[label] != second.get(label)] == []


@pytest.mark.django_db
def test_load_demo_builds_the_bureau_and_its_units():
    from branches.models import Organisation, Unit

    load_demo(steps=["branches.demo"])
    assert (
        Unit.objects.get(name="晋中市委老干部局")
        .subordinate_units.filter(abolished_on__isnull=True)
        .count()
        == 2
    )
    assert Organisation.objects.count() == 6


@pytest.fixture
def accounts_only(monkeypatch):
    """The command as it runs, building only the accounts (the whole demo takes a while)."""
    monkeypatch.setattr(
        "core.management.commands.load_demo.load_demo",
        lambda **kwargs: load_demo(steps=[], **kwargs),
    )


@pytest.mark.django_db
def test_load_demo_refuses_when_debug_is_off_unless_forced(settings, accounts_only):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
    call_command("load_demo", "--force")
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()


@pytest.mark.django_db
def test_the_superuser_never_gets_a_published_password(
    settings, monkeypatch, capsys, accounts_only
):
    monkeypatch.delenv("PORTAL_DEMO_PASSWORD", raising=False)
    settings.DEBUG = False
    call_command("load_demo", "--force")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    for published in ["jinzhong-demo-2024", "admin", "password", "demo"]:
        assert not admin.check_password(published)
    printed = next(
        line.split()[1] for line in capsys.readouterr().out.splitlines() if "superuser" in line
    )
    assert len(printed) >= 12 and admin.check_password(printed)


@pytest.mark.django_db
def test_the_demo_password_may_come_from_the_environment_and_is_not_echoed(
    settings, monkeypatch, capsys, accounts_only
):
    settings.DEBUG = True
    monkeypatch.setenv("PORTAL_DEMO_PASSWORD", "长城-暗号-2026-不公开")
    call_command("load_demo")
    assert get_user_model().objects.get(username="admin").check_password("长城-暗号-2026-不公开")
    assert "长城-暗号" not in capsys.readouterr().out
