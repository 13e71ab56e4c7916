"""Fixed lists of the member record: nationalities, education, cadre level, care level."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Ethnicity(models.TextChoices):
    """The 56 nationalities, coded as GB/T 3304 numbers them."""

    HAN = "01", pgettext_lazy("ethnic group", "Han")
    MONGOL = "02", pgettext_lazy("ethnic group", "Mongol")
    HUI = "03", pgettext_lazy("ethnic group", "Hui")
    TIBETAN = "04", pgettext_lazy("ethnic group", "Tibetan")
    UYGHUR = "05", pgettext_lazy("ethnic group", "Uyghur")
    MIAO = "06", pgettext_lazy("ethnic group", "Miao")
    YI = "07", pgettext_lazy("ethnic group", "Yi")
    ZHUANG = "08", pgettext_lazy("ethnic group", "Zhuang")
    BOUYEI = "09", pgettext_lazy("ethnic group", "Bouyei")
    KOREAN = "10", pgettext_lazy("ethnic group", "Korean")
    MANCHU = "11", pgettext_lazy("ethnic group", "Manchu")
    DONG = "12", pgettext_lazy("ethnic group", "Dong")
    YAO = "13", pgettext_lazy("ethnic group", "Yao")
    BAI = "14", pgettext_lazy("ethnic group", "Bai")
    TUJIA = "15", pgettext_lazy("ethnic group", "Tujia")
    HANI = "16", pgettext_lazy("ethnic group", "Hani")
    KAZAKH = "17", pgettext_lazy("ethnic group", "Kazakh")
    DAI = "18", pgettext_lazy("ethnic group", "Dai")
    LI = "19", pgettext_lazy("ethnic group", "Li")
    LISU = "20", pgettext_lazy("ethnic group", "Lisu")
    VA = "21", pgettext_lazy("ethnic group", "Va")
    SHE = "22", pgettext_lazy("ethnic group", "She")
    GAOSHAN = "23", pgettext_lazy("ethnic group", "Gaoshan")
    LAHU = "24", pgettext_lazy("ethnic group", "Lahu")
    SUI = "25", pgettext_lazy("ethnic group", "Sui")
    DONGXIANG = "26", pgettext_lazy("ethnic group", "Dongxiang")
    NAXI = "27", pgettext_lazy("ethnic group", "Naxi")
    JINGPO = "28", pgettext_lazy("ethnic group", "Jingpo")
    KYRGYZ = "29", pgettext_lazy("ethnic group", "Kyrgyz")
    TU = "30", pgettext_lazy("ethnic group", "Tu")
    DAUR = "31", pgettext_lazy("ethnic group", "Daur")
    MULAO = "32", pgettext_lazy("ethnic group", "Mulao")
    QIANG = "33", pgettext_lazy("ethnic group", "Qiang")
    BLANG = "34", pgettext_lazy("ethnic group", "Blang")
    SALAR = "35", pgettext_lazy("ethnic group", "Salar")
    MAONAN = "36", pgettext_lazy("ethnic group", "Maonan")
    GELAO = "37", pgettext_lazy("ethnic group", "Gelao")
    XIBE = "38", pgettext_lazy("ethnic group", "Xibe")
    ACHANG = "39", pgettext_lazy("ethnic group", "Achang")
    PUMI = "40", pgettext_lazy("ethnic group", "Pumi")
    TAJIK = "41", pgettext_lazy("ethnic group", "Tajik")
    NU = "42", pgettext_lazy("ethnic group", "Nu")
    UZBEK = "43", pgettext_lazy("ethnic group", "Uzbek")
    RUSSIAN = "44", pgettext_lazy("ethnic group", "Russian")
    EVENKI = "45", pgettext_lazy("ethnic group", "Evenki")
    DEANG = "46", pgettext_lazy("ethnic group", "De'ang")
    BONAN = "47", pgettext_lazy("ethnic group", "Bonan")
    YUGUR = "48", pgettext_lazy("ethnic group", "Yugur")
    GIN = "49", pgettext_lazy("ethnic group", "Gin")
    TATAR = "50", pgettext_lazy("ethnic group", "Tatar")
    DERUNG = "51", pgettext_lazy("ethnic group", "Derung")
    OROQEN = "52", pgettext_lazy("ethnic group", "Oroqen")
    HEZHEN = "53", pgettext_lazy("ethnic group", "Hezhen")
    MONBA = "54", pgettext_lazy("ethnic group", "Monba")
    LHOBA = "55", pgettext_lazy("ethnic group", "Lhoba")
    JINO = "56", pgettext_lazy("ethnic group", "Jino")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("postgraduate")
    UNIVERSITY = "university", _("university")
    COLLEGE = "college", _("junior college")
    SECONDARY_VOCATIONAL = "vocational", _("secondary vocational school")
    HIGH_SCHOOL = "high_school", _("senior high school")
    JUNIOR_SCHOOL = "junior_school", _("junior middle school")
    PRIMARY = "primary", _("primary school or below")


class CadreLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial or ministerial level")
    PREFECTURE = "prefecture", _("department or bureau level")
    PREFECTURE_DEPUTY = "prefecture_deputy", _("deputy department or bureau level")
    COUNTY = "county", _("county or division level")
    COUNTY_DEPUTY = "county_deputy", _("deputy county or division level")
    TOWNSHIP = "township", _("township or section level")
    OTHER = "other", _("other")


class CareLevel(models.TextChoices):
    SELF_CARE = "self_care", _("self-care")
    MILD = "mild", _("mild dependency")
    MODERATE = "moderate", _("moderate dependency")
    SEVERE = "severe", _("severe dependency")


# Care levels for which a visit is due every quarter.
HIGH_CARE_LEVELS = [CareLevel.MODERATE, CareLevel.SEVERE]


def _graduations(*stems):
    """A level as GB/T 4658 words it (毕业, 结业, 肄业) and as rosters shorten it."""
    return [stem + ending for stem in stems for ending in ("", "毕业", "结业", "肄业", "学历")]


# Every value of GB/T 4658-2006 (学历代码), by code and by name, the party-school levels of
# cadres' records, and the spellings branches' rosters use. 肄业 stays in its level, as the
# standard groups it (23 大学本科肄业 under 20 大学本科).
EDUCATION_SPELLINGS = {
    Education.POSTGRADUATE: [
        "10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
        *_graduations("研究生", "博士研究生", "硕士研究生", "研究生班", "博士", "硕士"),
        "研究生教育", "博士研究生毕业", "中央党校研究生", "省委党校研究生", "党校研究生",
        "在职研究生",
    ],
    Education.UNIVERSITY: [
        "20", "21", "22", "23", "28",
        *_graduations("大学本科", "本科", "大学", "大学普通班"),
        "中央党校大学", "省委党校大学", "党校大学", "党校本科", "在职本科", "函授本科",
        "自考本科", "成人本科", "电大本科",
    ],
    Education.COLLEGE: [
        "30", "31", "32", "33",
        *_graduations("大学专科", "专科", "大专"),
        "大学专科教育", "中央党校大专", "省委党校大专", "党校大专", "党校专科", "在职大专",
        "函授大专", "电大", "电大大专", "自考大专", "成人大专", "高职",
    ],
    Education.SECONDARY_VOCATIONAL: [
        "40", "41", "42", "43", "44", "45", "46", "47", "48", "49",
        *_graduations("中等专科", "中专", "职业高中", "职高", "技工学校", "技校", "中技"),
        "中等职业教育", "中师", "中等师范",
    ],
    Education.HIGH_SCHOOL: [
        "60", "61", "62", "63",
        *_graduations("普通高中", "高中", "普通高级中学"),
        "普通高级中学教育",
    ],
    Education.JUNIOR_SCHOOL: [
        "70", "71", "72", "73",
        *_graduations("初中", "初级中学"),
        "初级中学教育",
    ],
    Education.PRIMARY: [
        "80", "81", "82", "83", "90",
        *_graduations("小学"),
        "小学教育", "小学以下", "其他", "文盲", "半文盲", "扫盲", "识字", "私塾",
    ],
}  # fmt: skip

# Short forms of nationalities that rosters use besides the name without 族 (崩龙族 was De'ang's
# name until 1985).
ETHNICITY_SHORT_FORMS = {
    Ethnicity.MONGOL: ["蒙族", "蒙"],
    Ethnicity.UYGHUR: ["维族", "维"],
    Ethnicity.KOREAN: ["朝族"],
    Ethnicity.KAZAKH: ["哈族"],
    Ethnicity.DEANG: ["崩龙族", "崩龙"],
    Ethnicity.GIN: ["京族"],
}
