"""Demo data for redhistory/: the 寻访革命功臣 campaign of FACTS.md.

More than 1,000 veterans of the three wars visited at home by city and county teams
(1,024 × scale), red artefacts from more than 230 of them (236 × scale donors, two to four
artefacts each, a few with Pillow-drawn images), oral histories with transcripts and segment
indexes in every state of consent and publication, and a few micro-films with screenings.

Deterministic (`ctx.random("redhistory…")`) and idempotent: veterans and oral histories are
generated only up to their target count, artefacts are keyed on their accession numbers, films on
their titles. Rows are written in bulk with their simple-history records
(`bulk_create_with_history`), so loading stays quick.
"""

import datetime
import hashlib
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw
from simple_history.utils import bulk_create_with_history

from core.counties import County

from . import renditions, transcripts
from .models import (
    AccessionCounter,
    Artefact,
    ArtefactImage,
    CustodyEvent,
    FieldVisit,
    MicroFilm,
    OralHistory,
    Release,
    Screening,
    Segment,
    Veteran,
    VeteranService,
    War,
)
from .storage import redhistory_storage

VETERANS = 1024
DONORS = 236
ORAL_HISTORIES = 320
IMAGED_ARTEFACTS = 48
PORTRAITS = 24
# The committed recordings (made by `manage.py make_demo_media`).
DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
GIVEN_MALE = [
    "德明",
    "志刚",
    "振华",
    "建国",
    "树林",
    "保国",
    "长胜",
    "满仓",
    "福贵",
    "有才",
    "宝山",
    "润生",
    "天佑",
    "占魁",
    "金锁",
    "铁柱",
    "文斌",
    "守仁",
    "世昌",
    "永年",
]
GIVEN_FEMALE = ["秀英", "桂兰", "玉梅", "凤英", "淑珍", "翠花", "兰芳", "素贞", "春梅", "巧云"]
UNITS = {
    War.ANTI_JAPANESE: [
        "八路军一二九师",
        "八路军一二〇师",
        "太行军区第二军分区",
        "决死纵队",
        "晋中抗日游击支队",
    ],
    War.LIBERATION: ["晋冀鲁豫野战军", "华北野战军第八纵队", "太岳纵队", "晋中军区独立旅"],
    War.KOREA: [
        "中国人民志愿军第六十军",
        "志愿军第十五军",
        "志愿军第二十七军",
        "志愿军铁道兵",
        "志愿军后勤部",
    ],
}
# Years of each war as the demo dates service in it (抗日战争 from 1937 in North China).
WAR_YEARS = {War.ANTI_JAPANESE: (1937, 1945), War.LIBERATION: (1945, 1949), War.KOREA: (1950, 1953)}
POSTS = ["战士", "通讯员", "卫生员", "班长", "排长", "连指导员", "炊事员", "司号员", "侦察员"]
COUNTY_PLACES = {
    "yuci": "榆次",
    "taigu": "太谷",
    "jiexiu": "介休",
    "qixian": "祁县",
    "pingyao": "平遥",
    "lingshi": "灵石",
    "shouyang": "寿阳",
    "xiyang": "昔阳",
    "heshun": "和顺",
    "zuoquan": "左权",
    "yushe": "榆社",
}
# category, names by war (None: any war), material, dimensions: a medal or a uniform belongs to
# the war its donor served in (no 抗美援朝纪念章 from a veteran who never went to Korea).
ARTEFACT_KINDS = [
    (
        Artefact.Category.MEDAL,
        {
            War.ANTI_JAPANESE: ["抗战胜利纪念章", "独立自由勋章"],
            War.LIBERATION: ["解放奖章", "华北解放纪念章"],
            War.KOREA: ["抗美援朝纪念章", "和平万岁纪念章"],
            None: ["三等功奖章"],
        },
        "铜",
        "直径3.5厘米",
    ),
    (
        Artefact.Category.LETTER,
        {
            War.ANTI_JAPANESE: ["写给母亲的家书", "战地书简"],
            War.LIBERATION: ["前线来信", "解放太原后的家书"],
            War.KOREA: ["入朝前家书", "从朝鲜寄回的家书"],
        },
        "纸",
        "26×18厘米",
    ),
    (
        Artefact.Category.UNIFORM,
        {
            War.ANTI_JAPANESE: ["八路军军帽", "粗布绑腿"],
            War.LIBERATION: ["解放军棉军帽"],
            War.KOREA: ["志愿军棉衣", "志愿军胸章"],
            None: ["军用挎包"],
        },
        "棉布",
        "45×30厘米",
    ),
    (
        Artefact.Category.WEAPON,
        {
            War.ANTI_JAPANESE: ["缴获的日军刺刀"],
            None: ["手榴弹壳", "行军水壶", "子弹袋"],
        },
        "铁",
        "30×5厘米",
    ),
    (
        Artefact.Category.PHOTO,
        {War.KOREA: ["入朝前合影"], None: ["战友合影", "入伍照", "庆功会留影"]},
        "相纸",
        "12×9厘米",
    ),
    (
        Artefact.Category.DOCUMENT,
        {None: ["立功证书", "革命军人证明书", "复员证", "入党志愿书"]},
        "纸",
        "20×14厘米",
    ),
    (
        Artefact.Category.MEMOIR,
        {None: ["手写回忆录", "战斗日记", "行军笔记"]},
        "纸",
        "厚2厘米",
    ),
    (Artefact.Category.OTHER, {None: ["搪瓷缸", "油灯", "木制算盘"]}, "搪瓷", "高10厘米"),
]
# What the oral histories tell: (topic, theme, war or None, year, unit or None, what happened). A war topic's narrator served in that war that year (in that unit when one is
# named); the others are told by anyone old enough. Years and armies are history's.
EPISODES = [
    (
        "百团大战",
        OralHistory.Theme.BATTLE,
        War.ANTI_JAPANESE,
        1940,
        None,
        "1940年8月起，八路军在正太铁路一线破袭日军交通，扒铁轨、炸桥梁、拔据点。",
    ),
    (
        "关家垴战斗",
        OralHistory.Theme.BATTLE,
        War.ANTI_JAPANESE,
        1940,
        "八路军一二九师",
        "1940年10月底，一二九师在武乡关家垴围攻日军冈崎大队，激战两昼夜。",
    ),
    (
        "黄崖洞保卫战",
        OralHistory.Theme.BATTLE,
        War.ANTI_JAPANESE,
        1941,
        None,
        "1941年11月，八路军守卫黄崖洞兵工厂，顶住日军八昼夜的进攻。",
    ),
    (
        "护送干部过封锁线",
        OralHistory.Theme.MISSION,
        War.ANTI_JAPANESE,
        1942,
        None,
        "1942年日军“大扫荡”中，夜里护送干部穿过平汉线和白晋线的封锁沟。",
    ),
    (
        "组织减租减息",
        OralHistory.Theme.MISSION,
        War.ANTI_JAPANESE,
        1943,
        None,
        "1943年在太行根据地的村里发动群众，推行减租减息。",
    ),
    (
        "上党战役",
        OralHistory.Theme.BATTLE,
        War.LIBERATION,
        1945,
        None,
        "1945年9月至10月，晋冀鲁豫部队在长治一带歼灭阎锡山部三万余人。",
    ),
    (
        "晋中战役",
        OralHistory.Theme.BATTLE,
        War.LIBERATION,
        1948,
        None,
        "1948年6月至7月，华北第一兵团在晋中平原歼敌十万余人，解放晋中大部。",
    ),
    (
        "支前运粮",
        OralHistory.Theme.MISSION,
        War.LIBERATION,
        1948,
        None,
        "1948年冬，组织民工推小车、赶牲口，把军粮送到太原前线。",
    ),
    (
        "太原战役",
        OralHistory.Theme.BATTLE,
        War.LIBERATION,
        1949,
        None,
        "1949年4月24日，解放军攻克太原，山西全境解放在即。",
    ),
    (
        "第五次战役",
        OralHistory.Theme.BATTLE,
        War.KOREA,
        1951,
        "中国人民志愿军第六十军",
        "1951年春，志愿军发起第五次战役，第六十军在三八线以南穿插作战。",
    ),
    (
        "上甘岭战役",
        OralHistory.Theme.BATTLE,
        War.KOREA,
        1952,
        "志愿军第十五军",
        "1952年10月至11月，第十五军坚守上甘岭坑道四十三天，阵地寸土未失。",
    ),
    (
        "抢修铁路",
        OralHistory.Theme.MISSION,
        War.KOREA,
        1951,
        "志愿军铁道兵",
        "1951年，铁道兵在美军轰炸下抢修清川江大桥，建成“打不烂、炸不断”的钢铁运输线。",
    ),
    (
        "土地改革",
        OralHistory.Theme.EVENT,
        None,
        1947,
        None,
        "1947年，晋中解放区的村里丈量土地、分田到户，贫苦农民第一次有了自己的地。",
    ),
    (
        "开国大典的消息",
        OralHistory.Theme.EVENT,
        None,
        1949,
        None,
        "1949年10月1日，从收音机里听到毛主席宣告中华人民共和国成立。",
    ),
    (
        "筹建供销社",
        OralHistory.Theme.EVENT,
        None,
        1954,
        None,
        "1954年在县里筹建供销合作社，把油盐布匹送到山村。",
    ),
    (
        "改革开放初期的乡村",
        OralHistory.Theme.EVENT,
        None,
        1980,
        None,
        "1980年前后，村里实行家庭联产承包责任制，老百姓的粮囤满了。",
    ),
]
# title, number of source oral histories, what they tell (a topic, a war, or None: any)
FILMS = [
    ("太行儿女", 4, War.ANTI_JAPANESE),
    ("一封家书", 3, None),
    ("上甘岭上的晋中兵", 3, "上甘岭战役"),
    ("烽火榆社", 2, War.LIBERATION),
    ("老兵的军功章", 2, War.KOREA),
    ("我的入党志愿书", 2, None),
]


# Oral histories that play: each spoken by espeak-ng's Mandarin voice into demo_media/ by
# `manage.py make_demo_media` (run once; the files are committed). A line is (narrator speaks,
# text, segment title, synopsis, withheld); each line is one segment and one caption.
RECORDINGS = [
    (
        "guanjianao",
        "关家垴战斗",
        [
            (
                False,
                "老人家，给我们讲讲关家垴战斗吧。",
                "开场",
                "采访人请老人讲一讲1940年的关家垴战斗。",
                False,
            ),
            (
                True,
                "一九四零年十月底，日军冈崎大队占了关家垴。",
                "敌人占了山头",
                "1940年10月底，日军冈崎大队占据武乡关家垴高地。",
                False,
            ),
            (
                True,
                "我们一二九师从两面往上攻，打了两天两夜。",
                "两天两夜",
                "一二九师两面强攻，激战两昼夜。",
                False,
            ),
            (
                True,
                "忆党史、强信念、跟党走，好日子来之不易。",
                "寄语后人",
                "寄语青少年珍惜今天的好日子。",
                False,
            ),
        ],
    ),
    (
        "baituan",
        "百团大战",
        [
            (
                False,
                "百团大战的时候，您在做什么？",
                "开场",
                "采访人问起1940年百团大战时老人的任务。",
                False,
            ),
            (
                True,
                "一九四零年八月，我们夜里去扒正太铁路的铁轨。",
                "夜袭正太路",
                "1940年8月，夜里破袭正太铁路。",
                False,
            ),
            (
                True,
                "老乡们扛着镢头跟我们一起干，天亮前撤回山里。",
                "军民一起干",
                "老乡们一同破路，天亮前撤回太行山。",
                False,
            ),
            (
                True,
                "年轻人要记住，胜利是无数先烈换来的。",
                "寄语后人",
                "寄语青少年铭记先烈。",
                False,
            ),
        ],
    ),
    (
        "shangganling",
        "上甘岭战役",
        [
            (
                False,
                "上甘岭的坑道里是什么样子？",
                "开场",
                "采访人问起1952年上甘岭的坑道生活。",
                False,
            ),
            (
                True,
                "一九五二年秋天，我们在坑道里守了四十多天。",
                "坚守坑道",
                "1952年秋，第十五军在坑道中坚守四十多天。",
                False,
            ),
            (
                True,
                "缺水缺粮，一个苹果全连传着吃。",
                "一个苹果",
                "坑道里缺水缺粮，一个苹果全连分着吃。",
                False,
            ),
            (
                True,
                "阵地一寸也没丢，因为祖国就在我们身后。",
                "寄语后人",
                "说起守住阵地的信念。",
                False,
            ),
        ],
    ),
    (
        "jinzhong",
        "晋中战役",
        [
            (False, "晋中战役您还记得吗？", "开场", "采访人请老人回忆1948年的晋中战役。", False),
            (
                True,
                "一九四八年夏天，部队在晋中平原上打了一个多月。",
                "晋中平原",
                "1948年6月至7月，部队在晋中平原连续作战。",
                False,
            ),
            (
                True,
                "我负责往下背伤员，老乡们抬着担架跟在后面。",
                "背伤员",
                "老人负责抢救伤员，老乡们抬担架支前。",
                False,
            ),
            (
                True,
                "晋中解放了，老百姓敲锣打鼓来欢迎。",
                "晋中解放",
                "晋中解放时群众夹道欢迎。",
                False,
            ),
        ],
    ),
    (
        "tiedaobing",
        "抢修铁路",
        [
            (False, "在朝鲜修铁路难不难？", "开场", "采访人问起在朝鲜抢修铁路的经历。", False),
            (
                True,
                "一九五一年，白天敌机轰炸，晚上我们就抢修。",
                "夜里抢修",
                "1951年，铁道兵白天隐蔽、夜里抢修线路。",
                False,
            ),
            (
                True,
                "有个战友牺牲在桥上，他家里的事就不公开讲了。",
                "战友",
                "说起牺牲的战友。",
                True,
            ),
            (
                True,
                "打不烂、炸不断，这就是我们的钢铁运输线。",
                "钢铁运输线",
                "说起打不烂、炸不断的钢铁运输线。",
                False,
            ),
        ],
    ),
]
# Films that play: stills with a spoken narration, made by the same command.
FILM_RECORDINGS = [
    (
        "太行儿女",
        [
            "一九四零年，太行山上燃起了百团大战的烽火。",
            "晋中的儿女参军支前，写下了一段段传奇。",
            "这部微电影，根据老战士的口述拍摄。",
        ],
    ),
    (
        "上甘岭上的晋中兵",
        [
            "一九五二年秋天，上甘岭的炮火震动了世界。",
            "晋中籍的志愿军战士，在坑道里坚守了四十多天。",
            "他们的故事，今天由他们自己讲给你听。",
        ],
    ),
]


def _draw(seed, size=(320, 240)):
    """A small, deterministic picture of an object on a cloth, varied by seed."""
    image = Image.new("RGB", size, (236, 226, 208))
    draw = ImageDraw.Draw(image)
    colour = [(168, 32, 32), (120, 90, 40), (60, 80, 60), (150, 120, 30), (90, 60, 50)][seed % 5]
    w, h = size
    inset = 40 + seed % 30
    draw.rectangle([inset, inset, w - inset, h - inset], fill=colour)
    draw.ellipse([w // 2 - 25, h // 2 - 25, w // 2 + 25, h // 2 + 25], fill=(230, 190, 60))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=80)
    return output.getvalue()


def _stored(folder, key, seed):
    """Stores a drawn picture once under a name derived from `key` (revealing nothing)."""
    digest = hashlib.sha256(f"demo:{key}".encode()).hexdigest()[:24]
    name = f"redhistory/{folder}/{digest}.jpg"
    storage = redhistory_storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(_draw(seed)))
    return name


def _wars_for(birth_year, rng):
    if birth_year <= 1927:
        return [War.ANTI_JAPANESE, War.LIBERATION] + ([War.KOREA] if rng.random() < 0.2 else [])
    if birth_year <= 1932:
        return [War.LIBERATION] + ([War.KOREA] if rng.random() < 0.5 else [])
    return [War.KOREA]


def load(ctx):
    staff = ctx.users.get("staff")
    veterans = _veterans(ctx, staff)
    artefacts = _artefacts(ctx, staff, veterans)
    stories = _oral_histories(ctx, staff, veterans)
    _recorded_stories(ctx, staff, veterans)
    films = _films(ctx, stories)
    ctx.log(
        f"  veterans: {Veteran.objects.count()} (visited: "
        f"{Veteran.objects.filter(field_visits__isnull=False).distinct().count()}), "
        f"artefacts: {artefacts}, oral histories: {stories.count()}, films: {films}"
    )


def _veterans(ctx, staff):
    target = VETERANS * ctx.scale
    existing = Veteran.objects.count()
    if existing >= target:
        return list(Veteran.objects.order_by("pk"))
    rng = ctx.random("redhistory:veterans")
    counties = list(County.values)
    today = timezone.localdate()
    people = []
    for _n in range(target):
        female = rng.random() < 0.08
        birth_year = rng.randint(1919, 1936)
        county = counties[rng.randrange(len(counties))]
        name = SURNAMES[rng.randrange(len(SURNAMES))] + rng.choice(
            GIVEN_FEMALE if female else GIVEN_MALE
        )
        wars = _wars_for(birth_year, rng)
        army_year = max(
            birth_year + 15,
            {War.ANTI_JAPANESE: 1938, War.LIBERATION: 1946, War.KOREA: 1950}[wars[0]],
        )
        died = rng.random() < 0.18
        people.append(
            (
                Veteran(
                    name=name,
                    gender=Veteran.Gender.FEMALE if female else Veteran.Gender.MALE,
                    birth_year=birth_year,
                    county=county,
                    native_place=f"山西{COUNTY_PLACES[county]}",
                    army_joined_on=datetime.date(army_year, rng.randint(1, 12), 1),
                    party_joined_on=datetime.date(army_year + rng.randint(0, 3), 7, 1),
                    died_on=(
                        datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28))
                        if died and today.year >= 2025
                        else None
                    ),
                    disabled=rng.random() < 0.25,
                    aphasic=rng.random() < 0.12,
                    amnesic=rng.random() < 0.15,
                    long_illness=rng.random() < 0.3,
                    guardian_name=SURNAMES[rng.randrange(len(SURNAMES))] + "某某",
                    guardian_phone=f"139{rng.randrange(10**8):08d}",
                    biography=(
                        f"{name}，{birth_year}年生，山西{COUNTY_PLACES[county]}人，"
                        f"{army_year}年参军，历经{'、'.join(str(w.label) for w in wars)}。"
                    ),
                    public_profile=rng.random() < 0.35,
                ),
                wars,
                [rng.randrange(0, 7) for _ in range(1 + (rng.random() < 0.4))],
            )
        )
    new = people[existing:]
    created = bulk_create_with_history(
        [p[0] for p in new], Veteran, batch_size=500, default_user=staff
    )
    services, visits = [], []
    for veteran, (_v, wars, visit_years) in zip(created, new, strict=True):
        for war in wars:
            first, last = WAR_YEARS[war]
            services.append(
                VeteranService(
                    veteran=veteran,
                    war=war,
                    unit=rng.choice(UNITS[war]),
                    post=rng.choice(POSTS),
                    from_year=max(first, veteran.army_joined_on.year),
                    to_year=last,
                )
            )
        for offset in sorted(set(visit_years)):
            visits.append(
                FieldVisit(
                    veteran=veteran,
                    visited_on=datetime.date(2018 + offset, rng.randint(1, 12), rng.randint(1, 28)),
                    team=FieldVisit.Team.CITY if rng.random() < 0.3 else FieldVisit.Team.COUNTY,
                    members="市委老干部局、县老干部局工作人员",
                    collected=rng.choice(
                        ["回忆录一份", "老照片若干", "家书两封", "军功章一枚", "口述录音"]
                    ),
                )
            )
    bulk_create_with_history(services, VeteranService, batch_size=1000, default_user=staff)
    bulk_create_with_history(visits, FieldVisit, batch_size=1000, default_user=staff)
    for veteran in created[:PORTRAITS]:
        veteran.portrait.name = _stored("portraits", f"veteran-{veteran.pk}", veteran.pk)
        veteran.public_profile = True
        veteran.save(update_fields=["portrait", "public_profile"])
    return list(Veteran.objects.order_by("pk"))


def _services(veteran_ids):
    """Each veteran's wars as (war, unit, from_year, to_year), in the order served."""
    served = {}
    rows = VeteranService.objects.filter(veteran_id__in=veteran_ids).order_by("from_year", "pk")
    for veteran_id, war, unit, first, last in rows.values_list(
        "veteran_id", "war", "unit", "from_year", "to_year"
    ):
        served.setdefault(veteran_id, []).append((War(war), unit, first, last))
    return served


def _artefacts(ctx, staff, veterans):
    rng = ctx.random("redhistory:artefacts")
    today = timezone.localdate()
    donors = veterans[: DONORS * ctx.scale]
    served = _services([donor.pk for donor in donors])
    planned, numbers = [], {}
    for donor in donors:
        for _ in range(rng.randint(2, 4)):
            category, names_by_war, material, dimensions = ARTEFACT_KINDS[
                rng.randrange(len(ARTEFACT_KINDS))
            ]
            acquired = datetime.date(
                rng.randint(2018, 2024), rng.randint(1, 12), rng.randint(1, 28)
            )
            numbers[acquired.year] = numbers.get(acquired.year, 0) + 1
            war, unit, first, last = rng.choice(served[donor.pk])
            names = names_by_war.get(war) or names_by_war[None]
            if None in names_by_war and rng.random() < 0.3:
                names = names_by_war[None]
            name = rng.choice(names)
            made = rng.randint(first, last)
            pronoun = "她" if donor.gender == Veteran.Gender.FEMALE else "他"
            planned.append(
                Artefact(
                    accession_number=f"HS-{acquired.year}-{numbers[acquired.year]:04d}",
                    name=name,
                    category=category,
                    war=war,
                    era_text=f"{war.label}时期",
                    made_in=f"{made}年",
                    material=material,
                    dimensions=dimensions,
                    quantity=rng.choice([1, 1, 1, 2, 3]),
                    condition=rng.choice(list(Artefact.Condition)),
                    donor=donor,
                    acquisition=Artefact.Acquisition.DONATION,
                    acquired_on=acquired,
                    grade=rng.choice(
                        [Artefact.Grade.GENERAL] * 6
                        + [Artefact.Grade.THIRD, Artefact.Grade.UNGRADED]
                    ),
                    story=(
                        f"{donor.name}老人{first}年至{last}年在{unit}参加{war.label}，"
                        f"这件{name}是{pronoun}{made}年留下的，一直珍藏到{acquired.year}年捐出。"
                    ),
                    published=rng.random() < 0.45,
                )
            )
    # A dozen loans in, some due within 30 days and some overdue, for the admin's notice.
    for index, artefact in enumerate(planned[5:200:16]):
        artefact.acquisition = Artefact.Acquisition.LOAN
        artefact.loan_due_on = today + datetime.timedelta(days=(index * 13) % 120 - 20)
    existing = set(Artefact.objects.values_list("accession_number", flat=True))
    new = [a for a in planned if a.accession_number not in existing]
    created = bulk_create_with_history(new, Artefact, batch_size=500, default_user=staff)
    events = []
    for artefact in created:
        events.append(
            CustodyEvent(
                artefact=artefact,
                kind=CustodyEvent.Kind.ENTRY,
                starts_on=artefact.acquired_on,
                location="市委老干部局库房",
                recorded_by=staff,
            )
        )
    bulk_create_with_history(events, CustodyEvent, batch_size=1000, default_user=staff)
    moved = [a for a in created if not a.published][::9]
    CustodyEvent.objects.filter(artefact__in=moved, kind=CustodyEvent.Kind.ENTRY).update(
        ends_on=datetime.date(2025, 1, 6)
    )
    bulk_create_with_history(
        [
            CustodyEvent(
                artefact=artefact,
                kind=CustodyEvent.Kind.STORAGE,
                starts_on=datetime.date(2025, 1, 6),
                location="市委老干部局库房二号柜（恒温恒湿）",
                recorded_by=staff,
            )
            for artefact in moved
        ],
        CustodyEvent,
        default_user=staff,
    )
    gone = [
        a for a in created if not a.published and a.acquisition == Artefact.Acquisition.DONATION
    ]
    bulk_create_with_history(
        [
            CustodyEvent(
                artefact=artefact,
                kind=CustodyEvent.Kind.DEACCESSION,
                starts_on=datetime.date(2025, 3, 1),
                note="移交山西省革命历史博物馆收藏",
                recorded_by=staff,
            )
            for artefact in gone[-4:]
        ],
        CustodyEvent,
        default_user=staff,
    )
    images = []
    for artefact in [a for a in created if a.published][: IMAGED_ARTEFACTS * ctx.scale]:
        for order in range(1 + artefact.pk % 2):
            images.append(
                ArtefactImage(
                    artefact=artefact,
                    image=_stored(
                        "artefacts", f"{artefact.accession_number}-{order}", artefact.pk + order
                    ),
                    caption="正面" if order == 0 else "背面",
                    order=order,
                )
            )
    bulk_create_with_history(images, ArtefactImage, default_user=staff)
    for year, last in numbers.items():
        counter, _created = AccessionCounter.objects.get_or_create(year=year)
        if counter.last < last:
            counter.last = last
            counter.save()
    return Artefact.objects.count()


TRANSCRIPT = (
    "问：您还记得{topic}那时候的情形吗？\n"
    "答：记得，怎么会忘呢。那是{year}年，我{age}岁，{where}。{what}\n"
    "问：当时最难的是什么？\n"
    "答：{detail}可大家心里有一股劲，就是要跟党走。{restricted}\n"
    "问：您想对年轻人说些什么？\n"
    "答：忆党史、强信念、跟党走。好日子来之不易，要好好珍惜。"
)
DETAILS = {
    War.ANTI_JAPANESE: [
        "白天隐蔽，晚上行军，一夜要走七八十里山路。",
        "老乡们把最后一点小米都拿出来给我们。",
        "我们在山沟里架电话线，冻得手都裂了口子。",
    ],
    War.LIBERATION: [
        "部队冲上去的时候，我负责往下背伤员。",
        "连着几天几夜没合眼，困了就靠着土墙眯一会儿。",
        "老乡们推着小车跟在队伍后面送粮送水。",
    ],
    War.KOREA: [
        "坑道里缺水，一个苹果全连传着吃。",
        "白天敌机轰炸，我们只能夜里行动。",
        "零下三十度，棉衣冻得硬邦邦的。",
    ],
    None: [
        "那时候什么都缺，全凭一双手干。",
        "村里识字的人少，我就一家一家去讲。",
    ],
}
# An episode's narrator was this old at least (a soldier) or at least (a witness) that year.
SOLDIER_AGE = 14
WITNESS_AGE = 12


def _period(war, year):
    if war is not None or year <= 1949:
        return OralHistory.Period.REVOLUTION
    return OralHistory.Period.CONSTRUCTION if year < 1978 else OralHistory.Period.REFORM


def _fits(veteran, service, episode):
    """Whether a veteran (with `service`: their wars as from _services) can tell the episode."""
    _topic, _theme, war, year, unit, _what = episode
    if war is None:
        return year - veteran.birth_year >= WITNESS_AGE
    return year - veteran.birth_year >= SOLDIER_AGE and any(
        served == war and first <= year <= last and (unit is None or served_unit == unit)
        for served, served_unit, first, last in service
    )


def _oral_histories(ctx, staff, veterans):
    target = ORAL_HISTORIES * ctx.scale
    existing = OralHistory.objects.count()
    if existing >= target:
        return OralHistory.objects.all()
    rng = ctx.random("redhistory:oral")
    today = timezone.localdate()
    speakers = [v for v in veterans if not v.aphasic]
    served = _services([v.pk for v in speakers])
    tellers = {
        episode[0]: [v for v in speakers if _fits(v, served.get(v.pk, []), episode)]
        for episode in EPISODES
    }
    episodes = [episode for episode in EPISODES if tellers[episode[0]]]
    plans = []
    for n in range(target):
        episode = rng.choice(episodes)
        topic, theme, war, year, _unit, what = episode
        narrator = tellers[topic][(n * 7) % len(tellers[topic])]
        service = next((s for s in served.get(narrator.pk, []) if s[0] == war), None)
        unit = service[1] if service else None
        restricted = rng.random() < 0.15
        detail = rng.choice(DETAILS[war])
        transcript = TRANSCRIPT.format(
            topic=topic,
            year=year,
            age=year - narrator.birth_year,
            where=f"在{unit}" if unit else f"在{COUNTY_PLACES[narrator.county]}",
            what=what,
            detail=detail,
            restricted="[restricted]有些战友的名字和家里的事，就不公开讲了。[/restricted]"
            if restricted
            else "",
        )
        recorded = datetime.date(rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28))
        # consent: none, public, public under embargo (running or ended), internal, restricted
        roll = rng.random()
        if roll < 0.08:
            scope, embargo = None, None
        elif roll < 0.72:
            scope, embargo = Release.Scope.PUBLIC, None
        elif roll < 0.78:
            scope, embargo = (
                Release.Scope.PUBLIC,
                today + datetime.timedelta(days=rng.randint(10, 400)),
            )
        elif roll < 0.83:
            scope, embargo = (
                Release.Scope.PUBLIC,
                today - datetime.timedelta(days=rng.randint(1, 60)),
            )
        elif roll < 0.95:
            scope, embargo = Release.Scope.INTERNAL, None
        else:
            scope, embargo = Release.Scope.RESTRICTED, None
        if scope == Release.Scope.PUBLIC and embargo is None:
            status = rng.choice(
                [OralHistory.Status.PUBLISHED] * 6
                + [OralHistory.Status.IN_REVIEW, OralHistory.Status.DRAFT]
            )
        elif scope == Release.Scope.PUBLIC:
            status = OralHistory.Status.IN_REVIEW
        else:
            status = rng.choice([OralHistory.Status.DRAFT, OralHistory.Status.IN_REVIEW])
        story = OralHistory(
            title=f"{narrator.name}：{topic}",
            narrator=narrator,
            interviewers="市委老干部局口述历史采集组",
            recorded_on=recorded,
            place=f"{COUNTY_PLACES[narrator.county]}老人家中",
            duration=rng.randint(20, 90) * 60,
            dialect="晋中方言",
            theme=theme,
            period=_period(war, year),
            summary=f"{narrator.name}老人（{narrator.birth_year}年生）回忆{year}年的{topic}。{what}",
            transcript=transcript,
            status=status,
            published_at=(
                timezone.make_aware(datetime.datetime.combine(recorded, datetime.time(10)))
                + datetime.timedelta(days=30)
                if status == OralHistory.Status.PUBLISHED
                else None
            ),
        )
        plans.append((story, scope, embargo, recorded, episode, restricted, unit, detail))
    new = plans[existing:]
    created = bulk_create_with_history(
        [p[0] for p in new], OralHistory, batch_size=500, default_user=staff
    )
    releases, segments = [], []
    for story, plan in zip(created, new, strict=True):
        _s, scope, embargo, recorded, episode, restricted, unit, detail = plan
        topic, _theme, war, year, _unit, what = episode
        if scope is not None:
            releases.append(
                Release(oral_history=story, signed_on=recorded, scope=scope, embargo_until=embargo)
            )
        narrator = story.narrator
        party = narrator.party_joined_on.year if narrator.party_joined_on else None
        outline = [
            (
                "开场",
                f"{narrator.name}，{narrator.birth_year}年生，{narrator.native_place}人，"
                f"说起{year}年{topic}时的自己。",
            ),
            (topic, what),
            ("那些日子" if war is None else "行军路上", detail),
            ("战友情谊" if war else "乡亲们", "说起一同经历那段日子的人。"),
            (
                "入党经过",
                f"{party}年入党的经过{f'，当时在{unit}' if unit else ''}。"
                if party
                else "说起入党的心愿。",
            ),
            ("寄语后人", "寄语青少年：忆党史、强信念、跟党走。"),
        ]
        count = rng.randint(3, 6)
        # the segments divide the recording; the last one is always the closing words
        chosen = [*outline[: count - 1], outline[-1]]
        step = story.duration // count
        for index, (title, synopsis) in enumerate(chosen):
            segments.append(
                Segment(
                    oral_history=story,
                    start_seconds=index * step + (rng.randint(0, step // 4) if index else 0),
                    speaker=narrator.name if index else "采访人",
                    title=title,
                    keywords=f"{topic} {story.get_theme_display()}",
                    synopsis=synopsis,
                    restricted=restricted and index == 3,
                )
            )
    bulk_create_with_history(releases, Release, batch_size=1000, default_user=staff)
    bulk_create_with_history(segments, Segment, batch_size=1000, default_user=staff)
    # A segment names the narrator's artefacts from the war it tells of.
    through = Segment.artefacts.through
    owned = {}
    for artefact_id, donor_id, war in Artefact.objects.values_list("pk", "donor_id", "war"):
        owned.setdefault((donor_id, war), artefact_id)
    wars = {episode[0]: episode[2] for episode in EPISODES}
    links = []
    for segment in segments:
        story = segment.oral_history
        key = (story.narrator_id, wars.get(story.title.split("：", 1)[-1]))
        if segment.start_seconds and key in owned:
            links.append(through(segment_id=segment.pk, artefact_id=owned[key]))
    through.objects.bulk_create(links[::2], ignore_conflicts=True)
    return OralHistory.objects.all()


def _demo_media(name, folder):
    """Copies a committed file of demo_media/ into storage once, under a name derived from it."""
    source = DEMO_MEDIA / name
    digest = hashlib.sha256(f"demo:{name}".encode()).hexdigest()[:24]
    stored = f"redhistory/{folder}/{digest}{source.suffix}"
    storage = redhistory_storage()
    if not storage.exists(stored):
        storage.save(stored, ContentFile(source.read_bytes()))
    return stored


def _manifest():
    return json.loads((DEMO_MEDIA / "manifest.json").read_text())


def _recorded_stories(ctx, staff, veterans):
    """The oral histories that play (RECORDINGS): published, each segment where its line starts.
    Keyed on their stored recording, so a second run finds them."""
    manifest = _manifest()["recordings"]
    speakers = [v for v in veterans if not v.aphasic and v.public_profile]
    served = _services([v.pk for v in speakers])
    episodes = {episode[0]: episode for episode in EPISODES}
    for key, topic, script in RECORDINGS:
        audio = _demo_media(manifest[key]["file"], "oral/audio")
        if OralHistory.objects.filter(audio=audio).exists():
            continue
        episode = episodes[topic]
        narrator = next(v for v in speakers if _fits(v, served.get(v.pk, []), episode))
        _topic, theme, war, year, _unit, what = episode
        said = []
        for by_narrator, text, _title, _synopsis, withheld in script:
            line = f"{'答' if by_narrator else '问'}：{text}"
            said.append(f"[restricted]{line}[/restricted]" if withheld else line)
        recorded = datetime.date(2021, 5 + len(key) % 6, 10 + len(key))
        story = OralHistory.objects.create(
            title=f"{narrator.name}：{topic}",
            narrator=narrator,
            interviewers="市委老干部局口述历史采集组",
            recorded_on=recorded,
            place=f"{COUNTY_PLACES[narrator.county]}老人家中",
            duration=manifest[key]["duration"],
            dialect="晋中方言",
            theme=theme,
            period=_period(war, year),
            summary=f"{narrator.name}老人（{narrator.birth_year}年生）回忆{year}年的{topic}。{what}",
            transcript="\n".join(said),
            status=OralHistory.Status.PUBLISHED,
            published_at=timezone.make_aware(
                datetime.datetime.combine(recorded, datetime.time(10))
            ),
            audio=audio,
        )
        Release.objects.create(oral_history=story, signed_on=recorded, scope=Release.Scope.PUBLIC)
        for (by_narrator, _text, title, synopsis, withheld), start in zip(
            script, manifest[key]["starts"], strict=True
        ):
            Segment.objects.create(
                oral_history=story,
                start_seconds=start,
                speaker=narrator.name if by_narrator else "采访人",
                title=title,
                keywords=f"{topic} {story.get_theme_display()}",
                synopsis=synopsis,
                restricted=withheld,
            )
        if "public" in manifest[key]:
            ranges = transcripts.withheld_ranges(
                [(s.start_seconds, s.restricted) for s in story.segments.all()], story.duration
            )
            name = renditions.rendition_name(audio, ranges)
            if not redhistory_storage().exists(name):
                redhistory_storage().save(
                    name, ContentFile((DEMO_MEDIA / manifest[key]["public"]).read_bytes())
                )


def _films(ctx, stories):
    rng = ctx.random("redhistory:films")
    public = list(OralHistory.objects.public().order_by("pk"))
    hidden = list(OralHistory.objects.exclude(pk__in=[s.pk for s in public]).order_by("pk")[:5])
    wars = {episode[0]: episode[2] for episode in EPISODES}
    films_made = _manifest()["films"]
    used = set()
    for index, (title, sources, about) in enumerate(FILMS):
        film, created = MicroFilm.objects.get_or_create(
            title=title,
            defaults={
                "summary": f"根据老战士口述拍摄的纪实性微电影《{title}》。",
                "duration": rng.randint(8, 25) * 60,
                # the fifth film waits for a source's consent; the sixth is still being edited
                "published": index != 5,
            },
        )
        if not created:
            continue
        chosen = [
            story
            for story in public
            if story.pk not in used
            and about
            in (None, story.title.split("：", 1)[-1], wars.get(story.title.split("：")[-1]))
        ][:sources]
        used.update(story.pk for story in chosen)
        if index == 4 and hidden:
            chosen = [*chosen[:1], hidden[0]]
        film.oral_histories.set(chosen)
        film.veterans.set({story.narrator_id for story in chosen})
        recording = films_made.get(title)
        if recording:
            film.video.name = _demo_media(recording["file"], "films")
            film.poster.name = _demo_media(recording["poster"], "films/posters")
            film.duration = recording["duration"]
        else:
            film.poster.name = _stored("films/posters", f"film-{title}", index)
        film.save()
        Screening.objects.bulk_create(
            Screening(
                film=film,
                place=rng.choice(
                    ["晋中市老干部活动中心", "市休干所", "晋中老年大学", "左权县红色教育基地"]
                ),
                shown_on=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                audience=rng.randint(40, 300),
            )
            for _ in range(rng.randint(3, 8))
        )
    return MicroFilm.objects.count()
