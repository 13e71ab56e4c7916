"""Demo data for branches/: the bureau, its units and its six Party organisations (FACTS.md)."""

import datetime

from .models import Organisation, Unit

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
    if "secretary_jiguan" in ctx.users:
        organisations["jiguan"].secretaries.add(ctx.users["secretary_jiguan"])
    if "secretary_xiugansuo" in ctx.users:
        organisations["xiugansuo-lgb"].secretaries.add(ctx.users["secretary_xiugansuo"])
    ctx.log(f"  units: {len(units)}, organisations: {len(organisations)}")
