"""Demo data for visits/: visits from 2021 to today whose totals reproduce FACTS.md exactly.

- At the 13 shared bases (9 independent + 4 jointly built): exactly 18,000 in-service cadres,
  185,000 primary and middle-school students and 22,000 retired Party members (225,000).
- At the public sub-bases, in all categories including the wider public: 25,000.
- 250,000 in all.

Meetings of organisational life held at bases (branches/demo_meetings.py, run just before)
and bookings already visited count toward these totals; the remainder is generated as staff,
import and check-in records. `ctx.scale` multiplies the number of visit ROWS (smaller groups
each), never the totals: the facts hold at every scale. Rows are written with bulk_create
(with their history); a second run finds the same rows and changes nothing.
"""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from branches.models import Meeting
from exhibitions.models import Activity, ConstructionMilestone, EducationBase

from . import summary
from .models import Booking, Closure, Visit
from .services import sync_meeting_visit

Category = Visit.Category
Kind = EducationBase.Kind

FIRST_DAY = datetime.date(2021, 1, 1)

# FACTS.md: visitors of the shared bases by category, and the rest elsewhere.
SHARED_TOTALS = {
    Category.IN_SERVICE_CADRES: 18_000,
    Category.STUDENTS: 185_000,
    Category.RETIRED_MEMBERS: 22_000,
}
SUB_BASE_TOTAL = 25_000
ALL_TOTAL = sum(SHARED_TOTALS.values()) + SUB_BASE_TOTAL  # 250,000
# How the sub-bases' 25,000 divide: mostly local schools and the wider public.
SUB_BASE_SHARES = {
    Category.STUDENTS: 10_000,
    Category.PUBLIC: 9_000,
    Category.IN_SERVICE_CADRES: 3_000,
    Category.RETIRED_MEMBERS: 3_000,
}
# Typical group size at scale 1, per category.
GROUP_SIZE = {
    Category.IN_SERVICE_CADRES: 30,
    Category.STUDENTS: 45,
    Category.RETIRED_MEMBERS: 20,
    Category.PUBLIC: 15,
}

GUIDES = ["王丽娟", "李建国", "张晓燕", "赵志刚", "刘红梅", "陈卫东", ""]
SCHOOLS = ["第一中学", "第二中学", "实验中学", "第三小学", "城关小学", "育才小学", "第五中学"]
GRADES = ["初一年级", "初二年级", "高一年级", "五年级", "六年级", "少先队大队", "团委"]
CADRE_UNITS = [
    "市直机关工委",
    "市财政局",
    "市教育局",
    "县委组织部",
    "县人社局",
    "镇党委",
    "市税务局",
]
RETIREE_GROUPS = ["离退休干部党支部", "老干部活动中心学员", "老年大学党史班", "社区离退休党员"]
PUBLIC_GROUPS = ["社区居民", "志愿者协会", "企业职工", "游客", "退役军人服务站"]


def load(ctx):
    rng = ctx.random("visits")
    today = timezone.localdate()
    bases = list(EducationBase.objects.public().prefetch_related("activities"))
    if not bases:
        ctx.log("  visits: no public base, nothing to do")
        return
    with transaction.atomic(), summary.rebuilt_after():
        meetings = _sync_meeting_visits()
        bookings = _bookings(ctx, ctx.random("visits-bookings"), bases, today)
        _closures(bases, today)
        created = _generated_visits(ctx, rng, bases, today)
    ctx.log(
        f"  visits: {meetings} meeting visits, {bookings} bookings, "
        f"{created} visit rows generated (scale {ctx.scale})"
    )


def _sync_meeting_visits():
    """Meetings held at bases count as visits; the demos write meetings and attendance without
    the admin (which brings a meeting's Visit in step), so every such meeting is synced here."""
    meetings = Meeting.objects.filter(base__isnull=False).select_related("organisation")
    for meeting in meetings:
        sync_meeting_visit(meeting)
    Visit.objects.filter(source=Visit.Source.MEETING, meeting__base__isnull=True).delete()
    return Visit.objects.filter(source=Visit.Source.MEETING).count()


# reference, base slug, days from today, slot, category, headcount, status, group
BOOKINGS = [
    ("DEMO2A4P", "base-01", 9, "am", "students", 48, "pending", "榆次区第一中学初二年级"),
    ("DEMO3B5Q", "base-05", 12, "pm", "cadres", 30, "pending", "平遥县委组织部机关支部"),
    ("DEMO4C6R", "base-10", 6, "am", "retired", 22, "approved", "和顺县老干部局离退休干部党支部"),
    ("DEMO5D7S", "base-02", 15, "am", "students", 55, "approved", "太谷区实验小学五年级"),
    ("DEMO6E8T", "base-07", 20, "pm", "public", 18, "rejected", "寿阳县社区志愿者协会"),
    ("DEMO7F9U", "base-03", 25, "am", "students", 40, "cancelled", "介休市第三中学团委"),
    ("DEMO8G2V", "base-12", -30, "am", "retired", 26, "visited", "市休干所老干部支部"),
    ("DEMO9H3W", "base-09", -45, "pm", "students", 52, "visited", "左权县育才小学六年级"),
    ("DEMOAJ4X", "base-04", -60, "am", "cadres", 35, "visited", "祁县人社局机关支部"),
    ("DEMOBK5Y", "base-06", -8, "pm", "public", 20, "no_show", "榆次区社区党史宣讲队"),
    # Its day has passed, neither visit nor no-show marked: a reminder for the base.
    ("DEMOCM6Z", "base-01", -2, "am", "students", 40, "approved", "榆次区第二中学初一年级"),
]
# base slug, days from today to the first closed day, days closed, reason
CLOSURES = [("base-01", 30, 5, "闭馆布展"), ("base-02", 50, 3, "设备检修")]
REASONS = {
    "rejected": "当日基地闭馆布展，请改约其他日期。",
    "cancelled": "学校活动调整，取消本次参观。",
}


def _closures(bases, today):
    by_slug = {base.slug: base for base in bases}
    for slug, days, length, reason in CLOSURES:
        if slug in by_slug:
            first = today + datetime.timedelta(days=days)
            Closure.objects.update_or_create(
                base=by_slug[slug],
                reason=reason,
                defaults={"first_day": first, "last_day": first + datetime.timedelta(days=length)},
            )


def _open_day(base, day, step):
    for _i in range(14):
        if base.is_open_on(day):
            return day
        day += datetime.timedelta(days=step)
    return day


def _bookings(ctx, rng, bases, today):
    by_slug = {base.slug: base for base in bases}
    staff = ctx.users.get("staff")
    count = 0
    for reference, slug, days, slot, category, headcount, status, group in BOOKINGS:
        base = by_slug.get(slug)
        if base is None:
            continue
        step = 1 if days > 0 else -1
        visit_on = _open_day(base, today + datetime.timedelta(days=days), step)
        booking = Booking.objects.filter(reference=reference).first()
        values = {
            "base": base,
            "visit_on": visit_on,
            "slot": slot,
            "group_name": group,
            "contact_name": "王老师" if category == "students" else "李同志",
            "phone": f"1380354{1000 + count:04d}",
            "headcount": headcount,
            "category": category,
            "purpose": "开展党史学习教育",
        }
        if booking is None:
            booking = Booking(reference=reference, **values)
            booking.full_clean(exclude=["reference"])
            booking.save()
            booking.activities.set(base.activities.filter(code__in=["visit", "oath"]))
        elif booking.status in (Booking.Status.PENDING, Booking.Status.APPROVED) and any(
            getattr(booking, k) != v for k, v in values.items()
        ):
            # Dates relative to today: a run on another day moves the open bookings along.
            for key, value in values.items():
                setattr(booking, key, value)
            booking.save()
        count += 1
        if booking.status == status or booking.status == Booking.Status.VISITED:
            continue
        now = timezone.now()
        if status == Booking.Status.VISITED:
            visit = Visit(
                base=base,
                visited_on=visit_on,
                group_name=group,
                category=category,
                headcount=headcount - rng.randrange(0, 4),
                guide=rng.choice(GUIDES[:-1]),
                source=Visit.Source.BOOKING,
            )
            visit.save()
            visit.activities.set(booking.activities.all())
            booking.visit = visit
        if status != Booking.Status.PENDING:
            booking.decided_by = staff
            booking.decided_at = now
        booking.reason = REASONS.get(status, "")
        booking.status = status
        booking.save()
    return count


def _remainders(bases):
    """{(shared?, category): visitors still to generate} after meetings and bookings."""
    shared_pks = {b.pk for b in bases if b.kind != Kind.SUB_BASE}
    counted = {}
    for base, category, people in (
        Visit.objects.filter(source__in=[Visit.Source.MEETING, Visit.Source.BOOKING])
        .values_list("base", "category")
        .annotate(people=Sum("headcount"))
        .order_by()
    ):
        key = (base in shared_pks, category)
        counted[key] = counted.get(key, 0) + people
    wanted = {(True, c): n for c, n in SHARED_TOTALS.items()}
    wanted.update({(False, c): n for c, n in SUB_BASE_SHARES.items()})
    remainders = {key: n - counted.get(key, 0) for key, n in wanted.items()}
    # Meetings and bookings may bring a category past its share at the sub-bases: the wider
    # public's share gives way so the sub-bases' 25,000 still holds.
    for key, extra in counted.items():
        if key not in wanted:
            remainders[(key[0], Category.PUBLIC)] = (
                remainders.get((key[0], Category.PUBLIC), 0) - extra
            )
    if any(n < 0 for n in remainders.values()):
        raise ValueError(f"Meetings and bookings exceed the FACTS.md totals: {remainders}")
    return remainders


def _opening_days(bases):
    opened = dict(
        ConstructionMilestone.objects.filter(
            stage=ConstructionMilestone.Stage.OPENING, base__in=bases
        ).values_list("base", "reached_on")
    )
    return {b.pk: max(FIRST_DAY, opened.get(b.pk) or FIRST_DAY) for b in bases}


def _split(rng, total, rows):
    """`rows` positive group sizes adding up to exactly `total`, uneven like real groups."""
    rows = max(1, min(rows, total))
    floor = max(1, min(10, total // rows // 2))
    spare = total - floor * rows
    cuts = sorted(rng.sample(range(spare + rows - 1), rows - 1)) if rows > 1 else []
    sizes, previous = [], -1
    for cut in [*cuts, spare + rows - 1]:
        sizes.append(floor + cut - previous - 1)
        previous = cut
    return sizes


def _group_name(rng, category, county_label):
    if category == Category.STUDENTS:
        return f"{county_label}{rng.choice(SCHOOLS)}{rng.choice(GRADES)}"
    if category == Category.IN_SERVICE_CADRES:
        return f"{county_label}{rng.choice(CADRE_UNITS)}党员干部"
    if category == Category.RETIRED_MEMBERS:
        return f"{county_label}{rng.choice(RETIREE_GROUPS)}"
    return f"{county_label}{rng.choice(PUBLIC_GROUPS)}"


def _plan(rng, bases, today, scale):
    """Every generated visit as a tuple, in a fixed order, from the remainders."""
    remainders = _remainders(bases)
    opening = _opening_days(bases)
    county_labels = {
        b.pk: str(dict(EducationBase._meta.get_field("county").choices)[b.county]) for b in bases
    }
    shared = [b for b in bases if b.kind != Kind.SUB_BASE]
    sub_bases = [b for b in bases if b.kind == Kind.SUB_BASE]
    # Independent bases are the busiest halls; every base gets some visitors.
    weights = {b.pk: 3 if b.kind == Kind.INDEPENDENT else 2 for b in shared}
    weights.update({b.pk: 1 for b in sub_bases})
    plan = []
    for (is_shared, category), total in sorted(remainders.items()):
        group = shared if is_shared else sub_bases
        if total <= 0 or not group:
            continue
        rows = max(1, round(total * scale / GROUP_SIZE[category]))
        sizes = _split(rng, total, rows)
        choices = rng.choices(group, weights=[weights[b.pk] for b in group], k=len(sizes))
        for size, base in zip(sizes, choices, strict=True):
            first = opening[base.pk]
            span = max((today - first).days, 0)
            day = first + datetime.timedelta(days=rng.randrange(span + 1))
            if not base.is_open_on(day) and day - datetime.timedelta(days=1) >= first:
                day -= datetime.timedelta(days=1)
            roll = rng.random()
            source = (
                Visit.Source.IMPORT
                if roll < 0.3
                else Visit.Source.CHECK_IN
                if roll < 0.4 and day.year >= 2024
                else Visit.Source.STAFF
            )
            offered = [a.code for a in base.activities.all()]
            extra = [c for c in offered if c != "visit"]
            codes = ["visit"] + (rng.sample(extra, k=min(len(extra), rng.randrange(0, 3))))
            plan.append(
                (
                    base.pk,
                    day,
                    _group_name(rng, category, county_labels[base.pk]),
                    category,
                    size,
                    source,
                    "" if source == Visit.Source.CHECK_IN else rng.choice(GUIDES),
                    tuple(codes),
                )
            )
    return plan


def _generated():
    return Visit.objects.filter(
        source__in=[Visit.Source.STAFF, Visit.Source.IMPORT, Visit.Source.CHECK_IN]
    )


def _generated_visits(ctx, rng, bases, today):
    plan = _plan(rng, bases, today, max(1, ctx.scale))
    existing = sorted(
        _generated().values_list(
            "base", "visited_on", "group_name", "category", "headcount", "source", "guide"
        )
    )
    if existing == sorted(row[:7] for row in plan):
        return 0
    Visit.activities.through.objects.filter(visit__in=_generated()).delete()
    _generated().delete()
    visits = [
        Visit(
            base_id=base,
            visited_on=day,
            group_name=group,
            category=category,
            headcount=size,
            source=source,
            guide=guide,
        )
        for base, day, group, category, size, source, guide, _codes in plan
    ]
    created = bulk_create_with_history(visits, Visit, batch_size=2000)
    activity_ids = dict(Activity.objects.values_list("code", "pk"))
    through = Visit.activities.through
    links = [
        through(visit_id=visit.pk, activity_id=activity_ids[code])
        for visit, row in zip(created, plan, strict=True)
        for code in row[7]
        if code in activity_ids
    ]
    through.objects.bulk_create(links, batch_size=5000)
    return len(created)
