import pytest


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
def demo(demo, django_db_blocker):
    """tests/conftest.py's demo for the module, with a member whose data must never show."""
    with django_db_blocker.unblock():
        add_known_personal_data()
    yield
