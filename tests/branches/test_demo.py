"""The demo reproduces FACTS.md for branches/, and its year of meetings is deterministic and
idempotent, with attendance once members exist."""

import datetime

import pytest
from django.utils import timezone

from branches import demo_meetings
from branches.models import (
    ActivityRoom,
    AttendanceExemption,
    Honour,
    Meeting,
    MeetingAttendance,
    Organisation,
    Term,
    TermPost,
)
from core.demo import DemoContext, load_demo
from exhibitions.models import EducationBase
from members.models import Member

# FACTS.md: members per branch (67 in the general branch's five branches).
MEMBERS = {"jiguan": 27, "jiguan-ltx": 11, "xiugansuo-zz": 9, "xiugansuo-lgb": 18, "zhusuo-ltx": 2}


@pytest.fixture
def demo(db):
    # Everything the meetings stand on (organisations, members, bases), not red history or visits.
    load_demo(steps=["branches.demo", "members.demo", "exhibitions.demo", "branches.demo_meetings"])


def rows():
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "attendance": list(MeetingAttendance.objects.order_by("pk").values()),
        "posts": list(TermPost.objects.order_by("pk").values()),
        "exemptions": list(AttendanceExemption.objects.order_by("pk").values()),
    }


@pytest.mark.django_db
def test_the_demo_reproduces_the_report_and_its_meetings_are_idempotent(demo):
    kinds = dict(Organisation.objects.values_list("code", "kind"))
    assert sorted(kinds.values()).count("branch") == 5
    assert sorted(kinds.values()).count("general_branch") == 1
    retiree = set(
        Organisation.objects.filter(is_retiree_branch=True).values_list("name", flat=True)
    )
    assert retiree == {"机关老干部支部", "市休干所老干部支部", "住所离退休干部支部"}
    assert set(
        Organisation.objects.filter(parent__code="zongzhi").values_list("code", flat=True)
    ) == set(MEMBERS)
    rooms = {r.name: r for r in ActivityRoom.objects.with_current_stars()}
    general = rooms["市委老干部局党总支党员活动室"]
    assert general.current_stars == 5
    assert general.ratings.get().rated_by == "市直工委"
    assert set(general.organisations.values_list("name", flat=True)) == {
        "市委老干部局党总支",
        "局机关支部",
        "机关老干部支部",
    }
    assert rooms["晋中市休干所党员活动室"].current_stars == 3
    assert rooms["晋中市第二休干所党员活动室"].current_stars == 3
    assert rooms["晋中市第二休干所党员活动室"].unit.abolished_on is not None
    honours = set(Honour.objects.values_list("year", "title", "organisation__code"))
    assert honours == {(2018, "先进党组织", "zongzhi"), (2020, "示范党组织", "zongzhi")}
    assert Term.objects.current().count() == 6
    # The year of meetings: attendance, excuses and bases; a second run changes nothing.
    first = rows()
    today = timezone.localdate()
    meetings = Meeting.objects.all()
    assert meetings.filter(held_on__year=today.year - 1).exists()
    assert not meetings.filter(held_on__lt=datetime.date(today.year - 1, 1, 1)).exists()
    assert not meetings.filter(held_on__gt=today).exists()
    # Every third themed day at a public base (the rule exhibitions' demo also keeps).
    public = set(EducationBase.objects.public().values_list("pk", flat=True))
    themed = list(meetings.filter(kind="themed_day").order_by("held_on", "pk"))
    assert all(m.base_id in public for m in themed[::3])
    # A general meeting lists the branch's current members who had joined by then.
    general = meetings.filter(organisation__code="jiguan-ltx", kind="general_meeting").last()
    roster = Member.objects.current().filter(
        organisation__code="jiguan-ltx", joined_on__lte=general.held_on
    )
    assert set(general.attendances.values_list("member", flat=True)) == set(
        roster.values_list("pk", flat=True)
    )
    assert roster.count() > 0
    excused = MeetingAttendance.objects.filter(status="excused")
    absent = MeetingAttendance.objects.filter(status="absent")
    assert excused.exists() and absent.exists()
    assert not excused.filter(reason="").exists() and not absent.filter(reason="").exists()
    assert TermPost.objects.filter(post="secretary").count() == 6
    # (tests/config/test_load_demo.py runs the whole demo twice, exhibitions' linking included.)
    demo_meetings.load(DemoContext())
    assert rows() == first
