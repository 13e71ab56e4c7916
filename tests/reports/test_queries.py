"""The report reads with a fixed number of queries, whatever the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import DuesPayment, Member, MemberEvent
from redhistory.models import FieldVisit, Veteran
from reports.selectors import ReportScope
from reports.sheets import build_report
from visits.models import Visit

from .conftest import YEAR

# One query per ReportData selector, the two streams included; red_resources runs three
# (veterans, oral histories, films), dues_arrears three (the members' dues register: members,
# their dated dues bases and payments), visits_by_activity_kind two (the counts and the
# activities' order).
MAX_QUERIES = 34


def full_scope():
    return ReportScope.for_user(None, start_year=YEAR - 1, end_year=YEAR + 1)


@pytest.mark.parametrize("size", [3, 30])
def test_a_full_report_stays_within_its_query_budget_at_any_size(
    dataset, tmp_path, django_assert_max_num_queries, size
):
    dataset(size)
    with django_assert_max_num_queries(MAX_QUERIES):
        build_report(tmp_path / "r.xlsx", scope=full_scope())


def test_the_query_count_does_not_grow_with_rows(dataset, tmp_path, own_branch):
    bases = dataset(3)
    with CaptureQueriesContext(connection) as small:
        build_report(tmp_path / "small.xlsx", scope=full_scope())
    Visit.objects.bulk_create(
        Visit(
            base=bases[i % 2],
            visited_on=datetime.date(YEAR, 1 + i % 12, 1),
            group_name=f"团{i}",
            category="students",
            headcount=30,
        )
        for i in range(12_000)
    )
    members = Member.objects.bulk_create(
        Member(
            name=f"新党员{i}",
            gender="M",
            birth_date=datetime.date(1950, 1, 1),
            id_number=f"1407021950{i:07d}X",
            joined_on=datetime.date(1980, 1, 1),
            employment="retired",
            organisation=own_branch,
            dues_base=Decimal("3000.00"),
        )
        for i in range(6_000)
    )
    MemberEvent.objects.bulk_create(
        MemberEvent(member=m, kind="joined", occurred_on=m.joined_on, to_organisation=own_branch)
        for m in members
    )
    DuesPayment.objects.bulk_create(
        DuesPayment(
            member=m,
            year=YEAR,
            month=month,
            base=Decimal("3000.00"),
            rate=Decimal("0.01"),
            amount=Decimal("30.00"),
            paid_on=datetime.date(YEAR, month, 5),
        )
        for m in members[:1000]
        for month in (1, 2, 3)
    )
    veteran = Veteran.objects.first()
    FieldVisit.objects.bulk_create(
        FieldVisit(veteran=veteran, visited_on=datetime.date(YEAR, 1, 1 + i % 28), team="city")
        for i in range(500)
    )
    with CaptureQueriesContext(connection) as large:
        build_report(tmp_path / "large.xlsx", scope=full_scope())
    assert len(large) == len(small)
