"""Demo data for exhibitions/: the 21 red education bases of FACTS.md.

9 independent Party-history education shared bases (base-01 … base-09), 4 jointly built
Party-spirit education shared bases (base-10 … base-13) and 8 sub-bases (base-14 … base-21),
spread over Jinzhong's eleven counties, each with its own feature and brand. Two sub-bases are
still being built and are not public. Images are drawn by Pillow (deterministic, small) and
stored under fixed names, so a second run finds them in place.
"""

import datetime
import io
import math
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from redhistory.models import Artefact, CustodyEvent
from redhistory.services import artefact_display

from .models import (
    BaseImage,
    ConstructionMilestone,
    EducationBase,
    ExhibitionSection,
    SectionImage,
)
from .services import activities_ensure

Kind = EducationBase.Kind
Stage = ConstructionMilestone.Stage

# County seats (approximate), for coordinates near each base.
COUNTY_SEATS = {
    "yuci": ("37.6970", "112.7080"),
    "taigu": ("37.4210", "112.5510"),
    "jiexiu": ("37.0270", "111.9170"),
    "qixian": ("37.3580", "112.3350"),
    "pingyao": ("37.1890", "112.1760"),
    "lingshi": ("36.8480", "111.7780"),
    "shouyang": ("37.8950", "113.1770"),
    "xiyang": ("37.6120", "113.7060"),
    "heshun": ("37.3300", "113.5700"),
    "zuoquan": ("37.0820", "113.3790"),
    "yushe": ("37.0710", "112.9750"),
}

# slug, name, kind, county, parent slug, feature (一馆一特色), brand (一地一品牌), theme sections,
# last stage reached ("opening" for an open base)
BASES = [
    ("base-01", "晋中市老干部党史学习教育馆", Kind.INDEPENDENT, "yuci", None,
     "以晋中百年党史为主线，集中展示老同志捐赠的红色物件", "晋中红色记忆",
     ["百年征程", "老干部的红色足迹"], Stage.OPENING),
    ("base-02", "太谷区红色家书陈列馆", Kind.INDEPENDENT, "taigu", None,
     "以老战士家书为特色，一封家书讲一段家国情怀", "家书传初心",
     ["烽火家书", "两地书·报国情"], Stage.OPENING),
    ("base-03", "介休市绵山抗战史料陈列馆", Kind.INDEPENDENT, "jiexiu", None,
     "聚焦绵山一带抗日游击斗争的史料与老照片", "绵山烽火",
     ["游击绵山", "军民鱼水"], Stage.OPENING),
    ("base-04", "祁县昌源河老兵记忆馆", Kind.INDEPENDENT, "qixian", None,
     "以老兵口述影像为主，听亲历者讲战斗故事", "老兵口述",
     ["亲历者说", "口述历史影像厅"], Stage.OPENING),
    ("base-05", "平遥县古城红色交通站纪念馆", Kind.INDEPENDENT, "pingyao", None,
     "复原古城里的秘密交通站，再现地下工作者的智慧与胆识", "古城红色交通线",
     ["秘密交通站", "隐蔽战线"], Stage.OPENING),
    ("base-06", "灵石县汾河支前纪念馆", Kind.INDEPENDENT, "lingshi", None,
     "讲述解放战争中汾河两岸群众支前参战的事迹", "小推车支前",
     ["支前民工", "汾河渡口"], Stage.OPENING),
    ("base-07", "寿阳县抗美援朝老战士事迹馆", Kind.INDEPENDENT, "shouyang", None,
     "陈列抗美援朝老战士的军装、勋章和战地日记", "最可爱的人",
     ["跨过鸭绿江", "勋章背后的故事"], Stage.OPENING),
    ("base-08", "昔阳县艰苦奋斗精神教育馆", Kind.INDEPENDENT, "xiyang", None,
     "记录老干部带领群众改山治水、自力更生的奋斗历程", "艰苦奋斗",
     ["改山治水", "自力更生"], Stage.OPENING),
    ("base-09", "左权县太行老战士纪念馆", Kind.INDEPENDENT, "zuoquan", None,
     "以太行山区八路军老战士的史迹为主线", "太行精神",
     ["太行烽火", "老战士的后半生"], Stage.OPENING),
    ("base-10", "和顺县离退休干部党性教育共享基地", Kind.JOINT, "heshun", None,
     "县委组织部与老干部局联建联办，开展重温入党誓词和现场党课", "初心课堂",
     ["入党誓词墙", "现场党课堂"], Stage.OPENING),
    ("base-11", "榆社县离退休干部党性教育共享基地", Kind.JOINT, "yushe", None,
     "与县老年大学共建，以学习教育成果交流为特色", "银发学堂",
     ["学习成果展", "老年大学里的党课"], Stage.OPENING),
    ("base-12", "晋中市休干所党性教育共享基地", Kind.JOINT, "yuci", None,
     "依托市休干所，展示离休干部的革命经历与晚年风采", "离休干部风采",
     ["离休干部的战斗岁月", "休干所里的党组织生活"], Stage.OPENING),
    ("base-13", "晋中市老干部活动中心党性教育共享基地", Kind.JOINT, "taigu", None,
     "与市老干部活动中心联办，以主题党日+活动为特色", "主题党日+",
     ["主题党日+", "老有所为"], Stage.OPENING),
    ("base-14", "榆次区东赵乡红色教育分基地", Kind.SUB_BASE, "yuci", "base-01",
     "乡村老党员的入党故事", "田间党课",
     ["老党员的入党故事"], Stage.OPENING),
    ("base-15", "太谷区范村镇老兵故事分基地", Kind.SUB_BASE, "taigu", "base-02",
     "老兵家属讲述的家风家训", "好家风",
     ["家风家训"], Stage.OPENING),
    ("base-16", "介休市义安镇红色教育分基地", Kind.SUB_BASE, "jiexiu", "base-03",
     "抗战时期村级党组织的秘密活动", "村支部的抗战",
     ["秘密党支部"], Stage.OPENING),
    ("base-17", "祁县古县镇红色教育分基地", Kind.SUB_BASE, "qixian", "base-04",
     "老民兵的故事与老物件", "民兵记忆",
     ["民兵连的老物件"], Stage.OPENING),
    ("base-18", "灵石县两渡镇红色教育分基地", Kind.SUB_BASE, "lingshi", "base-06",
     "汾河渡口的支前故事", "渡口往事",
     ["渡口往事"], Stage.OPENING),
    ("base-19", "昔阳县东冶头镇红色教育分基地", Kind.SUB_BASE, "xiyang", None,
     "老干部带头修建水利工程的往事", "引水上山",
     ["引水上山"], Stage.OPENING),
    ("base-20", "和顺县松烟镇红色教育分基地", Kind.SUB_BASE, "heshun", "base-10",
     "太行山区的抗战医院旧址", "战地医院",
     ["战地医院"], Stage.CONSTRUCTION),
    ("base-21", "左权县桐峪镇红色教育分基地", Kind.SUB_BASE, "zuoquan", "base-09",
     "太行山里的抗战兵工厂", "太行兵工",
     ["兵工厂旧址"], Stage.LAYOUT),
]  # fmt: skip

ACTIVITIES = {
    Kind.INDEPENDENT: ["visit", "oath", "lecture", "themed_day", "training"],
    Kind.JOINT: ["visit", "oath", "lecture", "themed_day", "sharing", "training"],
    Kind.SUB_BASE: ["visit", "oath", "themed_day"],
}

# Builders and co-runners of the jointly built bases (the bureau's own organisations).
JOINT_ORGANISATIONS = {
    "base-10": ["zongzhi", "jiguan"],
    "base-11": ["zongzhi", "jiguan-ltx"],
    "base-12": ["xiugansuo-zz", "xiugansuo-lgb", "zhusuo-ltx"],
    "base-13": ["zongzhi", "jiguan-ltx"],
}

PALETTE = [(183, 28, 28), (142, 21, 21), (198, 40, 40), (160, 50, 30), (120, 30, 40)]
GOLD = (245, 194, 66)
DISPLAYS_PER_BASE = 3


def _upsert(model, lookup, values):
    """get-or-create that saves (and writes history) only when something changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = False
    for name, value in values.items():
        current = getattr(obj, name)
        if current != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return obj


def _draw(seed, variant, size=(480, 300)):
    """A small, deterministic picture: a red hall under a gold star, varied by seed."""
    width, height = size
    base_colour = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", size, (250, 244, 236))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        shade = 236 - y * 60 // height
        draw.line([(0, y), (width, y)], fill=(250, shade, shade - 10))
    hall_w = width // 2 + (seed * 7 + variant * 13) % (width // 4)
    left = (width - hall_w) // 2
    draw.rectangle([left, height // 2, left + hall_w, height - 30], fill=base_colour)
    draw.polygon(
        [(left - 20, height // 2), (width // 2, height // 4), (left + hall_w + 20, height // 2)],
        fill=tuple(max(0, c - 40) for c in base_colour),
    )
    for i in range(3 + variant % 3):
        x = left + 20 + i * (hall_w - 40) // (3 + variant % 3)
        draw.rectangle([x, height // 2 + 20, x + 18, height - 30], fill=(250, 235, 200))
    cx, cy, r = width // 2, height // 4 - 30, 18
    star = []
    for k in range(10):
        angle = math.pi / 2 + k * math.pi / 5
        radius = r if k % 2 == 0 else r * 0.4
        star.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(star, fill=GOLD)
    draw.rectangle([0, height - 30, width, height], fill=(90, 80, 70))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=80)
    return output.getvalue()


def _stored_image(name, seed, variant):
    """Writes the picture under a fixed name once; returns the name to assign to a field."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(_draw(seed, variant)))
    return name


def _milestone_dates(rng, last_stage):
    stages = ConstructionMilestone.STAGES
    day = datetime.date(2018, 3, 1) + datetime.timedelta(days=rng.randrange(0, 500))
    dates = {}
    for stage in stages[: stages.index(last_stage) + 1]:
        dates[stage] = day
        day += datetime.timedelta(days=rng.randrange(40, 160))
    return dates


def _coordinates(rng, county):
    lat, lng = COUNTY_SEATS[county]
    return (
        Decimal(lat) + Decimal(rng.randrange(-300, 300)) / Decimal(10000),
        Decimal(lng) + Decimal(rng.randrange(-300, 300)) / Decimal(10000),
    )


def _description(name, feature, brand, county_label):
    return (
        f"{name}位于{county_label}，是晋中市委老干部局按照“一馆一特色，一地一品牌”的要求，"
        f"经报批、选址、建馆、设计、布展建成的离退休干部党建共享基地。\n\n"
        f"本馆特色：{feature}。展陈采用故事书、展板、宣传片、老物件、老照片、老故事、"
        f"图文并茂的展柜和配有解说的视频，打造“{brand}”品牌。\n\n"
        f"基地常年开展重温入党誓词、庄严承诺、现场党课、主题党日+和学习教育成果交流等活动，"
        f"欢迎各级党组织、机关干部和青少年预约参观。"
    )


def _section_plan(themes, brand):
    plan = [("序厅", f"“{brand}”——走进本馆，了解建馆缘起和展陈脉络。")]
    for theme in themes:
        plan.append(
            (
                theme,
                f"以老物件、老照片和老同志的口述为线索，讲述“{theme}”的历史。\n\n"
                "展柜中的实物大多由老同志及其家属捐赠，每一件背后都有一段难忘的经历。",
            )
        )
    plan.append(("薪火相传", "老干部寄语青年一代，传承红色基因，赓续精神血脉。"))
    return plan


def load(ctx):
    rng = ctx.random("exhibitions")
    activities = activities_ensure()
    # Branches load first (core/demo.py DEMO_STEPS) but sit above exhibitions: read by registry.
    Organisation = apps.get_model("branches", "Organisation")
    organisations = {o.code: o for o in Organisation.objects.all()}
    bases = {}
    opening_dates = {}
    for index, row in enumerate(BASES, start=1):
        slug, name, kind, county, parent, feature, brand, themes, last_stage = row
        county_label = str(dict(EducationBase._meta.get_field("county").choices)[county])
        latitude, longitude = _coordinates(rng, county)
        # No demo cover photo: one drawn building repeated 21 times says nothing, so the demo
        # shows the designed typographic covers (core/covers.py) a base without a photo gets.
        cover = ""
        base = _upsert(
            EducationBase,
            {"slug": slug},
            {
                "name": name,
                "kind": kind,
                "county": county,
                "parent": bases.get(parent),
                "address": f"山西省晋中市{county_label}{brand}路{index * 3 + 1}号",
                "transport": (
                    f"从{county_label}汽车站乘公交{index % 9 + 1}路至“{brand}路口”站下车，"
                    "步行约五分钟；馆前设有停车场，团队大巴可停靠。"
                ),
                "latitude": latitude,
                "longitude": longitude,
                "feature": feature,
                "brand": brand,
                "contact": f"0354-{3000000 + index * 1111}",
                "description": _description(name, feature, brand, county_label),
                "open_weekdays": "234567" if kind == Kind.INDEPENDENT else "23456",
                "opening_hours": "9:00—11:30，14:30—17:00",
                "capacity_per_slot": {Kind.INDEPENDENT: 60, Kind.JOINT: 40}.get(kind, 30),
                "bookings_open": last_stage == Stage.OPENING,
                "featured": index in {1, 2, 5, 7, 10, 12},
            },
        )
        if base.cover.name != cover:
            base.cover.name = cover
            base.save()
        bases[slug] = base
        base.activities.set([activities[code] for code in ACTIVITIES[kind]])
        codes = JOINT_ORGANISATIONS.get(slug, [])
        base.organisations.set([organisations[c] for c in codes if c in organisations])

        dates = _milestone_dates(rng, last_stage)
        opening_dates[slug] = dates.get(Stage.OPENING)
        for stage, day in dates.items():
            _upsert(
                ConstructionMilestone,
                {"base": base, "stage": stage},
                {"reached_on": day, "note": ""},
            )
        for variant in (1, 2):
            image = _stored_image(f"demo/bases/{slug}-gallery-{variant}.jpg", index, variant)
            caption = f"{name}·{'外景' if variant == 1 else '展厅'}"
            photo = BaseImage.objects.filter(base=base, order=variant).first()
            photo = photo or BaseImage(base=base, order=variant)
            if photo.image.name != image or photo.caption != caption:
                photo.image.name = image
                photo.caption = caption
                photo.save()
        for order, (title, text) in enumerate(_section_plan(themes, brand), start=1):
            section = _upsert(
                ExhibitionSection, {"base": base, "order": order}, {"title": title, "text": text}
            )
            if order == 2:
                image = _stored_image(f"demo/bases/{slug}-section-{order}.jpg", index, 3)
                photo = SectionImage.objects.filter(section=section, order=1).first()
                if photo is None:
                    photo = SectionImage(section=section, order=1, caption=title)
                if photo.image.name != image:
                    photo.image.name = image
                    photo.save()
    base_admin = ctx.users.get("base_admin")
    if base_admin and not bases["base-01"].administrators.filter(pk=base_admin.pk).exists():
        bases["base-01"].administrators.add(base_admin)
    displayed = _display_artefacts(ctx, bases, opening_dates)
    ctx.log(f"  bases: {len(bases)}, displays: {displayed}")


def _display_artefacts(ctx, bases, opening_dates):
    """Puts existing artefacts on display, in accession order, a few per open base."""
    open_slugs = [slug for slug, day in opening_dates.items() if day]
    wanted = len(open_slugs) * DISPLAYS_PER_BASE * ctx.scale
    artefacts = list(
        Artefact.objects.exclude(custody_events__kind=CustodyEvent.Kind.DEACCESSION)
        .order_by("-published", "accession_number")
        .distinct()[:wanted]
    )
    sections = {}
    for section in ExhibitionSection.objects.filter(base__slug__in=open_slugs, order__gt=1):
        sections.setdefault(section.base_id, []).append(section)
    count = 0
    for i, artefact in enumerate(artefacts):
        base = bases[open_slugs[i % len(open_slugs)]]
        choices = sorted(sections.get(base.pk, []), key=lambda s: s.order)
        section = choices[(i // len(open_slugs)) % len(choices)] if choices else None
        already = artefact.custody_events.filter(
            kind=CustodyEvent.Kind.DISPLAY, base=base, section=section, ends_on__isnull=True
        ).exists()
        if already:
            count += 1
            continue
        latest = artefact.custody_events.order_by("-starts_on").values_list("starts_on", flat=True)
        on = max([opening_dates[base.slug], *latest[:1]])
        try:
            artefact_display(artefact=artefact, base=base, section=section, on=on, by=None)
        except ValidationError:
            continue
        count += 1
    return count
