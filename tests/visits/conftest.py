import datetime

import pytest
from django.core.cache import cache

from exhibitions.services import activities_ensure

# A Tuesday, and the Monday before it: demo and factory bases are open Tuesday to Saturday.
TODAY = datetime.date(2025, 6, 2)
TUESDAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def activities(db):
    return activities_ensure()


@pytest.fixture
def bookable_base(own_base, activities):
    own_base.activities.set([activities["visit"], activities["oath"]])
    own_base.capacity_per_slot = 50
    own_base.open_weekdays = "23456"
    own_base.save()
    return own_base


@pytest.fixture
def shut_base(db):
    """A sub-base still under construction: not public, so not bookable."""
    from tests.factories.exhibitions import EducationBaseFactory

    return EducationBaseFactory(
        slug="shut-base", name="和顺县在建红色教育分基地", kind="sub_base", opened=False
    )
