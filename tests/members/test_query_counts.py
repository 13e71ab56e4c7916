"""Every members/ admin list page runs the same number of queries with few or many records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.members import CareVisitFactory, DuesPaymentFactory, MemberFactory

PAGES = [
    ("admin:members_member_changelist", {}),
    ("admin:members_member_changelist", {"roster": "former"}),
    ("admin:members_member_care", {}),
    ("admin:members_memberevent_changelist", {}),
    ("admin:members_duespayment_changelist", {}),
    ("admin:members_duespayment_register", {"year": 2024}),
    ("admin:members_duespayment_register", {"year": 2024, "export": "xlsx"}),
    ("admin:members_carevisit_changelist", {}),
]
MAX_QUERIES = 14


def add_members(organisation, n):
    today = datetime.date.today()
    for i in range(n):
        member = MemberFactory(
            organisation=organisation,
            dues_base=Decimal("5000"),
            birth_date=datetime.date(today.year - 80 - (i % 2) * 10, today.month, 1 + i % 27),
            memory_loss=i % 3 == 0,
        )
        DuesPaymentFactory(member=member, year=2024, month=1 + i % 12)
        CareVisitFactory(member=member, visited_on=datetime.date(2024, 1 + i % 12, 1))


def counts(client):
    result = {}
    for name, params in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        result[(name, tuple(params))] = len(captured)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bureau_staff", "secretary"])
def test_members_admin_pages_do_not_grow_with_records(client, request, own_branch, persona):
    client.force_login(request.getfixturevalue(persona))
    add_members(own_branch, 3)
    small = counts(client)
    add_members(own_branch, 30)
    large = counts(client)
    assert large == small
    assert max(small.values()) <= MAX_QUERIES, small
