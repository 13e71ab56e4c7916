"""The demo holds FACTS.md's members: 27, 11, 9, 18 and 2 in the five branches, 67 in all."""

import datetime

import pytest

from branches.models import Organisation
from core.demo import load_demo
from members.models import CareVisit, DuesBase, DuesPayment, Member, MemberEvent
from members.selectors import dues_in_arrears, roster_on


@pytest.mark.django_db
def test_demo_members_match_the_facts_and_are_consistent():
    # the members need only their organisations: the rest of the demo is slow and not read here
    load_demo(steps=["branches.demo", "members.demo"])
    counts = {
        o.code: o.members.current().count()
        for o in Organisation.objects.filter(parent__code="zongzhi")
    }
    assert counts == {
        "jiguan": 27,
        "jiguan-ltx": 11,
        "xiugansuo-zz": 9,
        "xiugansuo-lgb": 18,
        "zhusuo-ltx": 2,
    }
    assert Member.objects.current().count() == 67
    # The general branch shows the sum of its branches wherever the admin counts members.
    general = Organisation.objects.with_member_counts().get(code="zongzhi")
    assert general.member_count == 67
    today = datetime.date.today()
    assert roster_on(today).count() == 67
    for member in Member.objects.select_related("organisation"):
        member.full_clean()  # valid ID numbers agreeing with birth date and gender
        assert member.id_number.startswith("1407")
        if member.employment == Member.Employment.IN_SERVICE:
            assert member.birth_date.year > 1960 and not member.organisation.is_retiree_branch
        else:
            assert 1926 <= member.birth_date.year <= 1960
            assert member.organisation.is_retiree_branch
        if member.employment == Member.Employment.RETIRED_PRE_1949:
            assert member.joined_on < datetime.date(1949, 10, 1)
        assert member.age(member.joined_on) >= 17
    former = Member.objects.former()
    assert former.filter(status="deceased").count() == 2
    assert former.filter(status="transferred_out").count() == 1
    for member in former:
        exit_event = member.events.get(kind__in=MemberEvent.EXITS)
        assert member in roster_on(exit_event.occurred_on - datetime.timedelta(days=1))
        assert member not in roster_on(exit_event.occurred_on)
    assert Member.objects.current().filter(category="probationary").count() == 2
    assert DuesPayment.objects.count() > 67 * 6
    # The reminder names members of the 67 only: those who left paid their months.
    branches = Organisation.objects.filter(parent__code="zongzhi")
    in_arrears = dues_in_arrears(branches, today.year, today)
    assert {row.member.status for row in in_arrears} <= {Member.Status.CURRENT}
    assert 0 < len(in_arrears) < 67
    # Every member's dues base has its history, from the day they came onto the roster.
    assert DuesBase.objects.values("member").distinct().count() == Member.objects.count()
    assert CareVisit.objects.exists()
    secretaries = {
        code: list(
            Organisation.objects.get(code=code).secretaries.values_list("username", flat=True)
        )
        for code in ("jiguan", "xiugansuo-lgb")
    }
    assert secretaries == {"jiguan": ["secretary_jiguan"], "xiugansuo-lgb": ["secretary_xiugansuo"]}
