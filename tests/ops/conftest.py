import pytest
from django.db import transaction
from django.test import override_settings

from core.demo import load_demo


def add_known_personal_data():
    """A member whose personal data the crawl must never find, whatever the demo holds."""
    import datetime

    from branches.models import Organisation
    from members.models import Member

    Member.objects.create(
        name="卫秘密",
        gender=Member.Gender.FEMALE,
        birth_date=datetime.date(1938, 3, 9),
        id_number="14070219380309002X",
        phone="13935409876",
        joined_on=datetime.date(1958, 7, 1),
        employment=Member.Employment.RETIRED,
        organisation=Organisation.objects.order_by("pk").first(),
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo at scale 1, loaded once per test module that asks for it, rolled back after."""
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        load_demo(scale=1)
        add_known_personal_data()
        yield
        transaction.set_rollback(True)
