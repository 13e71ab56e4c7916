"""The workbench (工作台) on the admin index: each role's to-dos, counted and linked to the very
records, and its shortcuts (core.workbench and each app's workbench.py)."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories.branches import OrganisationFactory, TermFactory
from tests.factories.visits import BookingFactory
from visits.models import Booking


def todo(html):
    """{label: (count, url)} of the workbench's to-do table."""
    rows = re.findall(
        r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th>'
        r'<td class="workbench-count"><a href="[^"]+">(\d+)</a></td></tr>',
        html,
    )
    return {label: (int(count), url.replace("&amp;", "&")) for url, label, count in rows}


def shortcuts(html):
    box = html.split('id="workbench-shortcuts"', 1)[-1].split("</ul>", 1)[0]
    return {label: url for url, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', box)}


def overdue_term(organisation):
    return TermFactory(organisation=organisation, starts_on=datetime.date(2019, 1, 1))


@pytest.mark.django_db
def test_staff_see_overdue_elections_counted_and_linked_to_those_terms(
    staff_client, own_branch, other_branch, django_assert_max_num_queries
):
    overdue_term(own_branch)
    overdue_term(other_branch)
    with django_assert_max_num_queries(40):
        html = staff_client.get(reverse("admin:index")).content.decode()
    count, url = todo(html)["换届已超期"]
    assert count == 2
    listed = staff_client.get(url)
    assert listed.context["cl"].result_count == count


@pytest.mark.django_db
def test_the_workbench_query_count_does_not_grow_with_the_tables(
    staff_client, own_branch, general_branch, django_assert_max_num_queries
):
    """Counting, not listing: five more terms and bookings cost no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    overdue_term(own_branch)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("admin:index"))
    for _ in range(5):
        overdue_term(OrganisationFactory(parent=general_branch))
        BookingFactory()
    with django_assert_max_num_queries(len(few)):
        html = staff_client.get(reverse("admin:index")).content.decode()
    assert todo(html)["换届已超期"][0] == 6


@pytest.mark.django_db
def test_a_secretary_sees_only_their_own_branchs_elections(
    secretary_client, own_branch, other_branch
):
    overdue_term(other_branch)
    html = secretary_client.get(reverse("admin:index")).content.decode()
    assert "换届已超期" not in todo(html)
    overdue_term(own_branch)
    html = secretary_client.get(reverse("admin:index")).content.decode()
    count, url = todo(html)["换届已超期"]
    assert count == 1
    assert secretary_client.get(url).context["cl"].result_count == 1


@pytest.mark.django_db
def test_a_base_administrator_sees_their_bookings_to_decide_and_their_qr_poster(
    base_admin_client, own_base, other_base
):
    BookingFactory(base=own_base)
    BookingFactory(base=own_base, status=Booking.Status.APPROVED)
    BookingFactory(base=other_base)
    BookingFactory(base=other_base)
    html = base_admin_client.get(reverse("admin:index")).content.decode()
    count, url = todo(html)["待审核的预约"]
    assert count == 1
    listed = base_admin_client.get(url)
    assert [b.base_id for b in listed.context["cl"].result_list] == [own_base.pk]
    poster = shortcuts(html)[f"签到二维码海报：{own_base.name}"]
    assert base_admin_client.get(poster).status_code == 200


@pytest.mark.django_db
def test_a_manager_has_the_report_and_statistics_at_hand(manager_client):
    html = manager_client.get(reverse("admin:index")).content.decode()
    links = shortcuts(html)
    assert links["年度报表"] == reverse("reports:index")
    assert links["参观统计"] == reverse("visits:statistics")
    for url in links.values():
        assert manager_client.get(url).status_code == 200


@pytest.mark.django_db
def test_nothing_to_do_says_so(base_admin_client, own_base):
    html = base_admin_client.get(reverse("admin:index")).content.decode()
    assert todo(html) == {}
    assert "暂无待办事项。" in html
