"""The demo's scale, on a database of its own: test_demo.py keeps the scale-1 demo for its module."""

import pytest

from core.demo import DemoContext, create_demo_accounts
from redhistory import demo
from redhistory.models import Veteran

pytestmark = pytest.mark.django_db


def test_scale_multiplies_the_volume(db):
    ctx = DemoContext(scale=2)
    create_demo_accounts(ctx)
    demo.load(ctx)
    assert Veteran.objects.count() == 2 * demo.VETERANS
    assert Veteran.objects.filter(artefacts__isnull=False).distinct().count() == 2 * demo.DONORS
