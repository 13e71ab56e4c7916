"""Demo organisational life: committee posts, exemptions from attendance, and the meetings of the
last full year and of this year to date, with the attendance of each organisation's members.

Runs after members/ and exhibitions/ (core/demo.py DEMO_STEPS): posts and attendance need
members, and some meetings are held at public education bases. Meetings are keyed on
(organisation, kind, date); attendance rows on (meeting, member); existing rows are left as they
are, so a second run changes nothing. A few meetings are left out on purpose, so that the yearly
view has gaps to show. The number of meetings follows the calendar, not `ctx.scale`; attendance
grows with the members that `ctx.scale` makes.
"""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from exhibitions.models import EducationBase
from members.models import Member

from .models import (
    ActivityRoom,
    AttendanceExemption,
    Meeting,
    MeetingAttendance,
    Organisation,
    Term,
    TermPost,
)

Kind = Meeting.Kind

TOPICS = {
    Kind.GENERAL_MEETING: [
        "学习贯彻党的二十大精神",
        "通报支部工作，讨论发展党员",
        "学习《中国共产党章程》",
        "总结上半年支部工作",
    ],
    Kind.COMMITTEE_MEETING: [
        "研究本月组织生活安排",
        "研究走访慰问生病党员",
        "研究党费收缴情况",
        "研究主题党日活动方案",
    ],
    Kind.GROUP_MEETING: ["学习时事政治", "交流学习体会", "读报学习", "谈心谈话"],
    Kind.PARTY_LECTURE: [
        "书记讲党课：忆党史、强信念、跟党走",
        "老党员讲党课：我的入党故事",
        "现场党课：太行精神代代传",
        "党课：离退休干部党员如何发挥作用",
    ],
    Kind.THEMED_DAY: [
        "重温入党誓词",
        "参观红色教育基地",
        "寻访革命功臣",
        "主题党日+志愿服务",
        "学习教育成果交流",
    ],
    Kind.LIFE_MEETING: ["年度组织生活会"],
    Kind.APPRAISAL: ["年度民主评议党员"],
}
ABSENCE_REASONS = ["住院治疗", "外出探亲", "身体不适", "照顾家人"]
EXEMPTION_NOTES = {
    AttendanceExemption.Reason.BEDRIDDEN: "长期卧床，由支部上门送学",
    AttendanceExemption.Reason.FAR_AWAY: "随子女在外地居住",
}
POSTS = [
    TermPost.Post.SECRETARY,
    TermPost.Post.DEPUTY_SECRETARY,
    TermPost.Post.ORGANISATION,
    TermPost.Post.PUBLICITY,
    TermPost.Post.DISCIPLINE,
]
# One meeting in this many of the monthly kinds is left out, so the yearly view shows gaps.
GAP_ONE_IN = 12


def load(ctx):
    today = timezone.localdate()
    first_day = datetime.date(today.year - 1, 1, 1)
    organisations = list(Organisation.objects.order_by("code"))
    posts = sum(_committee(ctx, organisation, today) for organisation in organisations)
    exemptions = sum(_exemptions(ctx, organisation) for organisation in organisations)
    meetings = []
    for organisation in organisations:
        meetings += _meetings(ctx, organisation, first_day, today)
    at_bases = _hold_some_at_bases()
    attendance = sum(_attendance(ctx, meeting) for meeting in meetings)
    ctx.log(
        f"  committee posts: {posts}, exemptions: {exemptions}, meetings: {len(meetings)}, "
        f"at bases: {at_bases}, attendance rows: {attendance}"
    )


def _roster(organisation):
    return list(Member.objects.current().filter(organisation=organisation).order_by("id_number"))


def _committee(ctx, organisation, today):
    """Posts of the current term, from the organisation's members (for the general branch, from
    its branches' members, in-service ones first)."""
    term = Term.objects.current(today).filter(organisation=organisation).first()
    if term is None:
        return 0
    if organisation.children.exists():
        below = Member.objects.current().filter(organisation__parent=organisation)
        in_service = below.filter(employment=Member.Employment.IN_SERVICE)
        candidates = list((in_service if in_service.exists() else below).order_by("id_number"))
    else:
        candidates = _roster(organisation)
    if not candidates:
        return 0
    rng = ctx.random(f"branches:committee:{organisation.code}")
    size = 5 if len(candidates) >= 9 else (3 if len(candidates) >= 5 else 1)
    chosen = rng.sample(candidates, min(size, len(candidates)))
    # Three-member committees have a secretary, an organisation and a publicity member.
    posts = POSTS if size == 5 else [POSTS[0], POSTS[2], POSTS[3]]
    for post, member in zip(posts, chosen, strict=False):
        if not TermPost.objects.filter(term=term, post=post).exists():
            if TermPost.objects.filter(term=term, member=member).exists():
                continue
            TermPost.objects.create(term=term, post=post, member=member)
    return term.posts.count()


def _exemptions(ctx, organisation):
    """In retiree branches, about one member in eight is bedridden or lives far away."""
    if not organisation.is_retiree_branch:
        return 0
    roster = _roster(organisation)
    rng = ctx.random(f"branches:exemptions:{organisation.code}")
    chosen = rng.sample(roster, len(roster) // 8)
    for i, member in enumerate(chosen):
        reason = list(EXEMPTION_NOTES)[i % 2]
        AttendanceExemption.objects.get_or_create(
            member=member,
            reason=reason,
            defaults={
                "note": EXEMPTION_NOTES[reason],
                "starts_on": datetime.date(2024, 1, 1),
            },
        )
    return len(chosen)


def _plan(ctx, organisation, first_day, today):
    """(kind, date) of every meeting the organisation held between the two days."""
    rng = ctx.random(f"branches:meetings:{organisation.code}")
    plan = []
    bound = organisation.kind == Organisation.Kind.BRANCH
    for year in range(first_day.year, today.year + 1):
        for month in range(1, 13):
            monthly = [(Kind.COMMITTEE_MEETING, 6)]
            if bound:
                monthly += [(Kind.GROUP_MEETING, 14), (Kind.THEMED_DAY, 20)]
                if month % 3 == 2:
                    monthly.append((Kind.PARTY_LECTURE, 24))
                if month % 3 == 0:
                    monthly.append((Kind.GENERAL_MEETING, 12))
                if month == 12:
                    monthly += [(Kind.LIFE_MEETING, 26), (Kind.APPRAISAL, 28)]
            for kind, day in monthly:
                held_on = datetime.date(year, month, day + rng.randrange(0, 3))
                skipped = rng.randrange(GAP_ONE_IN) == 0
                if first_day <= held_on <= today and not skipped:
                    plan.append((kind, held_on))
    return plan


def _meetings(ctx, organisation, first_day, today):
    rng = ctx.random(f"branches:topics:{organisation.code}")
    room = ActivityRoom.objects.filter(organisations=organisation).order_by("pk").first()
    place = room.name if room else "支部会议室"
    meetings = []
    for n, (kind, held_on) in enumerate(_plan(ctx, organisation, first_day, today)):
        topics = TOPICS[kind]
        topic = topics[(n + rng.randrange(len(topics))) % len(topics)]
        meeting = Meeting.objects.filter(
            organisation=organisation, kind=kind, held_on=held_on
        ).first()
        if meeting is None:
            meeting = Meeting.objects.create(
                organisation=organisation,
                kind=kind,
                held_on=held_on,
                topic=topic,
                place=place,
                minutes=f"{held_on:%Y年%m月%d日}，{organisation.name}召开会议，主题为“{topic}”。",
            )
        meetings.append(meeting)
    return meetings


def _hold_some_at_bases():
    """Every third themed Party day, and every other Party lecture, at a public education base."""
    bases = list(EducationBase.objects.public().order_by("slug"))
    if not bases:
        return 0
    count = 0
    for kind, step in [(Kind.THEMED_DAY, 3), (Kind.PARTY_LECTURE, 2)]:
        meetings = Meeting.objects.filter(kind=kind).order_by("held_on", "pk")
        for i, meeting in enumerate(meetings):
            if i % step:
                continue
            if meeting.base_id is None:
                meeting.base = bases[(i // step) % len(bases)]
                meeting.place = meeting.base.name
                meeting.save()
            count += 1
    return count


def _attendance(ctx, meeting):
    """The organisation's members on the day: the committee at a committee meeting, everyone
    otherwise; exempted members excused, a few absent with a reason."""
    organisation = meeting.organisation
    if meeting.kind == Kind.COMMITTEE_MEETING:
        if organisation.children.exists():
            # The general branch's committee members belong to its branches: no roster here.
            return 0
        term = Term.objects.current(meeting.held_on).filter(organisation=organisation)
        people = list(
            Member.objects.filter(committee_posts__term__in=term).order_by("id_number").distinct()
        )
    else:
        people = [m for m in _roster(meeting.organisation_id) if m.joined_on <= meeting.held_on]
    exempted = {
        e.member_id: e
        for e in AttendanceExemption.objects.in_force(meeting.held_on).filter(
            member__in=[m.pk for m in people]
        )
    }
    listed = set(meeting.attendances.values_list("member_id", flat=True))
    rng = ctx.random(f"branches:attendance:{organisation.code}:{meeting.kind}:{meeting.held_on}")
    rows = []
    for member in people:
        draw = rng.random()
        reason_index = rng.randrange(len(ABSENCE_REASONS))
        if member.pk in listed:
            continue
        row = MeetingAttendance(meeting=meeting, member=member)
        if member.pk in exempted:
            row.status = MeetingAttendance.Status.EXCUSED
            row.reason = exempted[member.pk].reason_text()
        elif draw < 0.08:
            row.status = MeetingAttendance.Status.ABSENT
            row.reason = ABSENCE_REASONS[reason_index]
        rows.append(row)
    if rows:
        bulk_create_with_history(rows, MeetingAttendance)
    return len(rows)
