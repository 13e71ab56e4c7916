"""Demo data for members/: the 67 current members of FACTS.md in their five branches, a few
former members (deceased, transferred out) kept in the history register through events, a
year of dues and the care visits of the past year.

People are invented: retirees born 1926–1960 (the oldest, 离休 veterans, joined before 1949),
in-service staff born 1966–2000; ID numbers are valid GB 11643 numbers with Jinzhong region
codes, agreeing with each birth date and gender. Members are keyed on their ID number, dues on
(member, year, month), visits on (member, date, kind): a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q

from branches.models import Organisation

from . import services
from .choices import CadreLevel, CareLevel, Education
from .idnumbers import make_id_number
from .models import CareVisit, DuesPayment, Member, MemberEvent, dues_amount, dues_rate

# FACTS.md: the five branches of the general branch and their current members (67 in all).
BRANCH_MEMBERS = {
    "jiguan": 27,
    "jiguan-ltx": 11,
    "xiugansuo-zz": 9,
    "xiugansuo-lgb": 18,
    "zhusuo-ltx": 2,
}
RETIREE_BRANCHES = {"jiguan-ltx", "xiugansuo-lgb", "zhusuo-ltx"}
FORMER_MEMBERS = 3  # per unit of ctx.scale: two deceased retirees, one in-service transfer

REGIONS = {
    "140702": "山西榆次",
    "140703": "山西太谷",
    "140721": "山西榆社",
    "140722": "山西左权",
    "140723": "山西和顺",
    "140724": "山西昔阳",
    "140725": "山西寿阳",
    "140727": "山西祁县",
    "140728": "山西平遥",
    "140729": "山西灵石",
    "140781": "山西介休",
}
SURNAMES = "王李张刘赵郭武杨梁韩冯贾田阎郝段范薛乔任侯程常霍吕孟温史牛白"
OLD_MALE = ["建国", "振华", "守仁", "德胜", "永福", "保国", "树森", "有才", "玉山", "占元",
            "明山", "富贵", "长林", "登科", "汉臣", "兴旺", "文礼", "世昌"]  # fmt: skip
OLD_FEMALE = ["秀英", "桂兰", "玉兰", "淑珍", "凤英", "兰英", "秀珍", "翠英", "素梅", "金花"]
YOUNG_MALE = ["志刚", "卫东", "宏伟", "晓东", "海军", "建军", "鹏", "磊", "强", "涛", "浩然",
              "宇航", "子豪", "俊杰"]  # fmt: skip
YOUNG_FEMALE = ["丽娟", "红梅", "晓燕", "雪梅", "海燕", "静", "婷", "佳怡", "欣怡", "丽"]
FORMER_UNITS = ["晋中地委组织部", "晋中行署财政局", "晋中市人大常委会", "晋中市政协",
                "晋中地区供销社", "晋中市教育局", "榆次市委宣传部", "太谷县委", "平遥县人民政府",
                "晋中市卫生局", "晋中军分区", "晋中行署农业局"]  # fmt: skip
FORMER_POSTS = [("局长", CadreLevel.COUNTY), ("副局长", CadreLevel.COUNTY_DEPUTY),
                ("部长", CadreLevel.COUNTY), ("副主任", CadreLevel.COUNTY_DEPUTY),
                ("科长", CadreLevel.TOWNSHIP), ("调研员", CadreLevel.COUNTY_DEPUTY),
                ("副书记", CadreLevel.PREFECTURE_DEPUTY), ("主任", CadreLevel.PREFECTURE)]  # fmt: skip
IN_SERVICE_POSTS = {
    "jiguan": ["晋中市委老干部局 科员", "晋中市委老干部局 副科长", "晋中市委老干部局 科长",
               "晋中市委老干部局 副局长", "晋中市老干部活动中心 干事"],
    "xiugansuo-zz": ["晋中市休干所 护理员", "晋中市休干所 会计", "晋中市休干所 副所长",
                     "晋中市休干所 医生", "晋中市休干所 干事"],
}  # fmt: skip
VISITORS = [
    "局党总支书记、支部书记",
    "支部书记、支部委员",
    "局领导、支部书记",
    "休干所所长、支部书记",
]


def _date_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


class PersonMaker:
    """Invents people whose names, ages, Party dates and ID numbers agree."""

    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.names = set()
        self.numbers = set()

    def name(self, male, old):
        pool = (OLD_MALE if male else OLD_FEMALE) if old else (YOUNG_MALE if male else YOUNG_FEMALE)
        for _attempt in range(200):
            name = self.rng.choice(SURNAMES) + self.rng.choice(pool)
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("ran out of demo names")

    def id_number(self, region, birth_date, male):
        while True:
            sequence = self.rng.randrange(0, 499) * 2 + (1 if male else 0)
            number = make_id_number(region, birth_date, sequence)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def retiree(self, organisation, *, born=None, lixiu=False):
        rng = self.rng
        male = rng.random() < 0.7
        if born is None:
            born = _date_between(
                rng,
                datetime.date(1926, 1, 1) if lixiu else datetime.date(1933, 1, 1),
                datetime.date(1930, 12, 31) if lixiu else datetime.date(1960, 12, 31),
            )
        if lixiu:
            # 离休: took part in the revolution, and here joined the Party, before October 1949.
            joined = _date_between(
                rng,
                born.replace(year=born.year + 17, day=min(born.day, 28)),
                datetime.date(1949, 9, 1),
            )
        else:
            earliest = max(born.replace(year=born.year + 20, day=min(born.day, 28)),
                           datetime.date(1950, 1, 1))  # fmt: skip
            joined = _date_between(rng, earliest, born.replace(year=born.year + 38, day=1))
        region = rng.choice(list(REGIONS))
        unit = rng.choice(FORMER_UNITS)
        post, level = rng.choice(FORMER_POSTS)
        age = self.today.year - born.year
        infirm = age >= 85 and rng.random() < 0.45
        return Member(
            name=self.name(male, old=True),
            gender="M" if male else "F",
            birth_date=born,
            native_place=REGIONS[region],
            id_number=self.id_number(region, born, male),
            phone=f"0354-{rng.randrange(2000000, 3999999)}",
            address=f"榆次区{rng.choice(['顺城街', '安宁街', '蕴华街', '锦纶路', '迎宾街'])}"
            f"{rng.randrange(1, 300)}号",
            education=rng.choice(
                [
                    Education.PRIMARY,
                    Education.JUNIOR_SCHOOL,
                    Education.HIGH_SCHOOL,
                    Education.SECONDARY_VOCATIONAL,
                    Education.COLLEGE,
                ]
            ),  # fmt: skip
            category=Member.Category.FULL,
            joined_on=joined,
            confirmed_on=joined.replace(year=joined.year + 1, day=min(joined.day, 28)),
            employment=Member.Employment.RETIRED_PRE_1949 if lixiu else Member.Employment.RETIRED,
            former_unit_post=f"{unit} {'原' if rng.random() < 0.5 else ''}{post}",
            cadre_level=level,
            organisation=organisation,
            disabled=infirm and rng.random() < 0.6,
            speech_loss=infirm and rng.random() < 0.3,
            memory_loss=infirm and rng.random() < 0.4,
            care_level=(
                rng.choice([CareLevel.MODERATE, CareLevel.SEVERE])
                if infirm
                else rng.choice([CareLevel.SELF_CARE, CareLevel.SELF_CARE, CareLevel.MILD])
            ),
            guardian=f"{self.rng.choice(SURNAMES)}{self.rng.choice(YOUNG_MALE + YOUNG_FEMALE)}（子女）",
            guardian_phone=f"139{rng.randrange(10000000, 99999999)}",
            dues_base=Decimal(rng.randrange(30, 95) * 100),
        )

    def in_service(self, organisation, code, *, probationary=False):
        rng = self.rng
        male = rng.random() < 0.55
        born = _date_between(rng, datetime.date(1966, 1, 1), datetime.date(2000, 12, 31))
        if probationary:
            joined = self.today - datetime.timedelta(days=rng.randrange(300, 390))
        else:
            joined = _date_between(
                rng,
                born.replace(year=born.year + 19, day=min(born.day, 28)),
                min(born.replace(year=born.year + 35, day=1), datetime.date(2023, 6, 1)),
            )
        region = rng.choice(list(REGIONS))
        return Member(
            name=self.name(male, old=False),
            gender="M" if male else "F",
            birth_date=born,
            native_place=REGIONS[region],
            id_number=self.id_number(region, born, male),
            phone=f"13{rng.randrange(4, 10)}{rng.randrange(10000000, 99999999)}",
            education=rng.choice(
                [
                    Education.UNIVERSITY,
                    Education.UNIVERSITY,
                    Education.POSTGRADUATE,
                    Education.COLLEGE,
                ]
            ),  # fmt: skip
            category=Member.Category.PROBATIONARY if probationary else Member.Category.FULL,
            joined_on=joined,
            confirmed_on=None
            if probationary
            else joined.replace(year=joined.year + 1, day=min(joined.day, 28)),
            employment=Member.Employment.IN_SERVICE,
            former_unit_post=rng.choice(IN_SERVICE_POSTS[code]),
            organisation=organisation,
            dues_base=Decimal(rng.randrange(35, 130) * 100),
        )


def _plan(ctx, organisations, today):
    """Every member the demo holds, current and former, in a fixed order."""
    rng = ctx.random("members")
    maker = PersonMaker(rng, today)
    plan = []
    for code, count in BRANCH_MEMBERS.items():
        organisation = organisations[code]
        for index in range(count):
            if code in RETIREE_BRANCHES:
                born = None
                # A few milestone birthdays this year, for the care page.
                if index == 1:
                    born = datetime.date(today.year - 90, rng.randrange(1, 13), 15)
                elif index == 3:
                    born = datetime.date(today.year - 80, today.month, 8)
                lixiu = code == "xiugansuo-lgb" and index in (0, 2, 4, 5)
                plan.append(("current", maker.retiree(organisation, born=born, lixiu=lixiu)))
            else:
                probationary = code == "jiguan" and index < 2
                plan.append(
                    ("current", maker.in_service(organisation, code, probationary=probationary))
                )
    for _round in range(ctx.scale):
        for fate in ("deceased", "deceased", "transferred_out")[:FORMER_MEMBERS]:
            if fate == "deceased":
                organisation = organisations[rng.choice(sorted(RETIREE_BRANCHES))]
                member = maker.retiree(organisation)
                born = member.birth_date
                member.birth_date = born.replace(year=min(born.year, 1935), day=min(born.day, 28))
                member.id_number = maker.id_number(
                    member.id_number[:6], member.birth_date, member.gender == "M"
                )
            else:
                member = maker.in_service(organisations["jiguan"], "jiguan")
            plan.append((fate, member))
    return plan


@transaction.atomic
def load(ctx):
    """Creates what is missing: an organisation already holding its number of current members,
    or a history register already holding its former members, is left as it is."""
    today = datetime.date.today()
    staff = ctx.users.get("staff")
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=BRANCH_MEMBERS)}
    current_counts = {
        code: Member.objects.current().filter(organisation=organisation).count()
        for code, organisation in organisations.items()
    }
    former_count = Member.objects.former().filter(organisation__in=organisations.values()).count()
    existing = set(Member.objects.values_list("id_number", flat=True))
    rng = ctx.random("members:events")
    created = 0
    for fate, member in _plan(ctx, organisations, today):
        if member.id_number in existing:
            continue
        code = member.organisation.code
        if fate == "current":
            if current_counts[code] >= BRANCH_MEMBERS[code]:
                continue
            current_counts[code] += 1
        else:
            if former_count >= FORMER_MEMBERS * ctx.scale:
                continue
            former_count += 1
        services.member_create(member=member, by=staff)
        created += 1
        if fate == "deceased":
            services.member_leave(
                member=member,
                kind=MemberEvent.Kind.DECEASED,
                on=_date_between(rng, datetime.date(today.year - 3, 1, 1), today),
                by=staff,
                note="因病逝世",
            )
        elif fate == "transferred_out":
            services.member_leave(
                member=member,
                kind=MemberEvent.Kind.TRANSFERRED_OUT,
                on=_date_between(rng, datetime.date(today.year - 2, 1, 1), today),
                by=staff,
                place="晋中市委组织部机关党支部",
                note="工作调动",
            )
    current = list(
        Member.objects.current()
        .filter(organisation__in=organisations.values())
        .order_by("organisation__code", "id_number")
    )
    former = list(
        Member.objects.former()
        .filter(organisation__in=organisations.values())
        .annotate(left_on=Max("events__occurred_on", filter=Q(events__kind__in=MemberEvent.EXITS)))
        .order_by("organisation__code", "id_number")
    )
    dues = _dues(ctx, current, today, staff, former)
    visits = _care_visits(ctx, current, today, staff)
    ctx.log(
        f"  members: {len(current)} current, {former_count} former ({created} new); "
        f"dues payments: {dues}; care visits: {visits}"
    )


def _dues(ctx, members, today, staff, former=()):
    """Twelve months of dues up to last month; a few members are a few months behind. Members
    who left paid every month up to the month they left, so the reminders name current members
    only."""
    rng = ctx.random("members:dues")
    months = []
    year, month = today.year, today.month
    for _i in range(12):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))
    existing = set(DuesPayment.objects.values_list("member_id", "year", "month"))
    payments = []
    for member in members:
        behind = rng.choice([0] * 8 + [1, 2, 3])
        rate = dues_rate(member.employment, member.dues_base)
        for year, month in months[behind:]:
            if datetime.date(year, month, 28) < member.joined_on:
                continue
            paid_day = rng.randrange(3, 26)  # drawn even when present: the sequence stays
            if (member.pk, year, month) in existing:
                continue
            payments.append(
                DuesPayment(
                    member=member,
                    year=year,
                    month=month,
                    base=member.dues_base,
                    rate=rate,
                    amount=dues_amount(member.dues_base, rate),
                    paid_on=datetime.date(year, month, paid_day),
                    recorded_by=staff,
                )
            )
    for member in former:
        rate = dues_rate(member.employment, member.dues_base)
        for year, month in months:
            if not (member.joined_on <= datetime.date(year, month, 28)) or (
                datetime.date(year, month, 1) > member.left_on
            ):
                continue
            if (member.pk, year, month) in existing:
                continue
            payments.append(
                DuesPayment(
                    member=member,
                    year=year,
                    month=month,
                    base=member.dues_base,
                    rate=rate,
                    amount=dues_amount(member.dues_base, rate),
                    paid_on=min(member.left_on, datetime.date(year, month, 20)),
                    recorded_by=staff,
                )
            )
    # One save per payment, so that each is in the history as if entered by hand.
    for payment in payments:
        payment.save()
    return DuesPayment.objects.count()


def _care_visits(ctx, members, today, staff):
    rng = ctx.random("members:care")
    start = today - datetime.timedelta(days=365)
    spring_festival = datetime.date(today.year if today.month > 2 else today.year - 1, 1, 20)
    planned = []
    for member in members:
        if member.employment == Member.Employment.IN_SERVICE:
            continue
        if spring_festival >= start:
            planned.append(
                (member, CareVisit.Kind.FESTIVAL, spring_festival, "春节慰问，送去慰问金和年货")
            )
        birthday = member.birth_date.replace(year=today.year, day=min(member.birth_date.day, 28))
        if birthday > today:
            birthday = birthday.replace(year=today.year - 1)
        if rng.random() < 0.5:
            planned.append((member, CareVisit.Kind.BIRTHDAY, birthday, "生日慰问，送上生日蛋糕"))
        needs_care = member.disabled or member.care_level in (CareLevel.MODERATE, CareLevel.SEVERE)
        if needs_care and rng.random() < 0.5:
            on = _date_between(rng, start, today)
            planned.append((member, CareVisit.Kind.HOSPITAL, on, "住院期间探望，了解治疗情况"))
    created = 0
    for member, kind, on, notes in planned:
        _visit, new = CareVisit.objects.get_or_create(
            member=member,
            kind=kind,
            visited_on=on,
            defaults={"visitors": rng.choice(VISITORS), "notes": notes, "recorded_by": staff},
        )
        created += new
    return CareVisit.objects.count()
