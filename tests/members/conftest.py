import datetime

import pytest

from tests.factories.members import MemberFactory


@pytest.fixture
def own_member(own_branch):
    return MemberFactory(
        name="张守仁",
        organisation=own_branch,
        gender="M",
        birth_date=datetime.date(1938, 5, 17),
        id_number="140702193805171233",
    )


@pytest.fixture
def other_member(other_branch):
    return MemberFactory(
        name="李秀英",
        organisation=other_branch,
        gender="F",
        birth_date=datetime.date(1941, 3, 2),
        id_number="140721194103020047",
    )


def export_data(client, url_name="admin:members_member_export"):
    """Posts the admin export form as rendered (every column, xlsx) and returns the response."""
    from django.urls import reverse

    url = reverse(url_name)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": next(i for i, f in form.fields["format"].choices if "xlsx" in str(f).lower())}
    data["resource"] = "0"
    for name, field in form.fields.items():
        if name not in ("format", "resource") and field.initial:
            data[name] = "on"
    return client.post(url, data)
