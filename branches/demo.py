"""Demo data for branches/: the bureau, its units, its six Party organisations, their committee
terms, activity rooms and honours (FACTS.md). Meetings and committee posts need members; they
are made later, by `branches/demo_meetings.py`."""

import datetime

from .models import ActivityRoom, Honour, Organisation, RoomRating, Term, Unit

UNITS = [
    # name, short name, kind, parent, founded, abolished, staff posts
    (
        "晋中市委老干部局",
        "市委老干部局",
        Unit.Kind.BUREAU,
        None,
        datetime.date(1983, 1, 1),
        None,
        12,
    ),
    ("晋中市休干所", "市休干所", Unit.Kind.REST_HOME, "晋中市委老干部局", None, None, None),
    (
        "晋中市老干部活动中心",
        "老干部活动中心",
        Unit.Kind.ACTIVITY_CENTRE,
        "晋中市委老干部局",
        None,
        None,
        None,
    ),
    # Merged in the public-institution reform; its activity room's rating is still on record.
    (
        "晋中市第二休干所",
        "第二休干所",
        Unit.Kind.REST_HOME,
        "晋中市委老干部局",
        None,
        datetime.date(2020, 12, 31),
        None,
    ),
]

# code, name, short name, kind, parent code, unit, retiree branch
ORGANISATIONS = [
    (
        "zongzhi",
        "市委老干部局党总支",
        "局党总支",
        Organisation.Kind.GENERAL_BRANCH,
        None,
        "晋中市委老干部局",
        False,
    ),
    (
        "jiguan",
        "局机关支部",
        "机关支部",
        Organisation.Kind.BRANCH,
        "zongzhi",
        "晋中市委老干部局",
        False,
    ),
    (
        "jiguan-ltx",
        "机关老干部支部",
        "局机关离退休干部支部",
        Organisation.Kind.BRANCH,
        "zongzhi",
        "晋中市委老干部局",
        True,
    ),
    (
        "xiugansuo-zz",
        "市休干所在职职工支部",
        "休干所在职支部",
        Organisation.Kind.BRANCH,
        "zongzhi",
        "晋中市休干所",
        False,
    ),
    (
        "xiugansuo-lgb",
        "市休干所老干部支部",
        "休干所老干部支部",
        Organisation.Kind.BRANCH,
        "zongzhi",
        "晋中市休干所",
        True,
    ),
    (
        "zhusuo-ltx",
        "住所离退休干部支部",
        "住所离退休支部",
        Organisation.Kind.BRANCH,
        "zongzhi",
        "晋中市休干所",
        True,
    ),
]


def load(ctx):
    units = {}
    for name, short, kind, parent, founded, abolished, posts in UNITS:
        units[name], _ = Unit.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "parent": units.get(parent),
                "founded_on": founded,
                "abolished_on": abolished,
                "staff_posts": posts,
            },
        )
    organisations = {}
    for code, name, short, kind, parent, unit, retiree in ORGANISATIONS:
        organisations[code], _ = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": organisations.get(parent),
                "unit": units[unit],
                "is_retiree_branch": retiree,
            },
        )
    terms = _terms(organisations)
    rooms = _rooms(units, organisations)
    honours = _honours(organisations)
    if "secretary_jiguan" in ctx.users:
        organisations["jiguan"].secretaries.add(ctx.users["secretary_jiguan"])
    if "secretary_xiugansuo" in ctx.users:
        organisations["xiugansuo-lgb"].secretaries.add(ctx.users["secretary_xiugansuo"])
    ctx.log(
        f"  units: {len(units)}, organisations: {len(organisations)}, terms: {terms}, "
        f"activity rooms: {rooms}, honours: {honours}"
    )


# The report gives no election dates; these are invented so that the reminders have something
# to show (late in 2026: the general branch overdue, two branches due within six months).
TERMS = {
    "zongzhi": [datetime.date(2020, 6, 28), datetime.date(2023, 6, 27)],
    "jiguan": [datetime.date(2021, 4, 15), datetime.date(2024, 4, 18)],
    "jiguan-ltx": [datetime.date(2022, 3, 22), datetime.date(2025, 3, 25)],
    "xiugansuo-zz": [datetime.date(2021, 1, 12), datetime.date(2024, 1, 9)],
    "xiugansuo-lgb": [datetime.date(2022, 9, 6), datetime.date(2025, 9, 10)],
    "zhusuo-ltx": [datetime.date(2021, 12, 1), datetime.date(2024, 12, 3)],
}

# Activity rooms (FACTS.md): the general branch's, shared with 局机关支部 and 机关老干部支部 and
# rated five-star by 市直工委; before the reform the rooms of the two rest homes were each rated
# three-star (by whom the report does not say). The report gives no rating dates: the five-star
# rating is placed after the reform, the three-star ones before it.
ROOMS = [
    # name, unit, organisations, ratings (stars, rated by, rated on)
    (
        "市委老干部局党总支党员活动室",
        "晋中市委老干部局",
        ["zongzhi", "jiguan", "jiguan-ltx"],
        [(5, "市直工委", datetime.date(2021, 6, 28))],
    ),
    (
        "晋中市休干所党员活动室",
        "晋中市休干所",
        ["xiugansuo-zz", "xiugansuo-lgb", "zhusuo-ltx"],
        [(3, "", datetime.date(2019, 6, 28))],
    ),
    ("晋中市第二休干所党员活动室", "晋中市第二休干所", [], [(3, "", datetime.date(2019, 6, 28))]),
]

# FACTS.md: both for the general branch; the awarding body is not named in the report.
HONOURS = [(2018, "先进党组织"), (2020, "示范党组织")]


def _terms(organisations):
    count = 0
    for code, dates in TERMS.items():
        for starts_on in dates:
            term = Term.objects.filter(
                organisation=organisations[code], starts_on=starts_on
            ).first()
            if term is None:
                Term.objects.create(organisation=organisations[code], starts_on=starts_on)
            count += 1
    return count


def _rooms(units, organisations):
    for name, unit, codes, ratings in ROOMS:
        room, _ = ActivityRoom.objects.update_or_create(name=name, defaults={"unit": units[unit]})
        wanted = {organisations[code].pk for code in codes}
        if set(room.organisations.values_list("pk", flat=True)) != wanted:
            room.organisations.set(wanted)
        for stars, rated_by, rated_on in ratings:
            RoomRating.objects.update_or_create(
                room=room, rated_on=rated_on, defaults={"stars": stars, "rated_by": rated_by}
            )
    return len(ROOMS)


def _honours(organisations):
    for year, title in HONOURS:
        Honour.objects.get_or_create(organisation=organisations["zongzhi"], year=year, title=title)
    return len(HONOURS)
