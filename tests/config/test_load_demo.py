import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.demo import DEMO_ACCOUNTS, load_demo


def snapshot():
    """Every portal row, as field values, to prove a second run changes nothing."""
    rows = {}
    for app_label in ["branches", "members", "redhistory", "exhibitions", "visits"]:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    rows["users"] = list(get_user_model().objects.order_by("pk").values())
    return rows


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("load_demo")
    first = snapshot()
    output = capsys.readouterr().out
    for username, _role, _purpose in DEMO_ACCOUNTS:
        assert username in output
    call_command("load_demo")
    assert snapshot() == first


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
