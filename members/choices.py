"""Fixed lists of the member record: nationalities, education, cadre level, care level."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ethnicity(models.TextChoices):
    """The 56 nationalities, coded as GB/T 3304 numbers them."""

    HAN = "01", _("Han")
    MONGOL = "02", _("Mongol")
    HUI = "03", _("Hui")
    TIBETAN = "04", _("Tibetan")
    UYGHUR = "05", _("Uyghur")
    MIAO = "06", _("Miao")
    YI = "07", _("Yi")
    ZHUANG = "08", _("Zhuang")
    BOUYEI = "09", _("Bouyei")
    KOREAN = "10", _("Korean")
    MANCHU = "11", _("Manchu")
    DONG = "12", _("Dong")
    YAO = "13", _("Yao")
    BAI = "14", _("Bai")
    TUJIA = "15", _("Tujia")
    HANI = "16", _("Hani")
    KAZAKH = "17", _("Kazakh")
    DAI = "18", _("Dai")
    LI = "19", _("Li")
    LISU = "20", _("Lisu")
    VA = "21", _("Va")
    SHE = "22", _("She")
    GAOSHAN = "23", _("Gaoshan")
    LAHU = "24", _("Lahu")
    SUI = "25", _("Sui")
    DONGXIANG = "26", _("Dongxiang")
    NAXI = "27", _("Naxi")
    JINGPO = "28", _("Jingpo")
    KYRGYZ = "29", _("Kyrgyz")
    TU = "30", _("Tu")
    DAUR = "31", _("Daur")
    MULAO = "32", _("Mulao")
    QIANG = "33", _("Qiang")
    BLANG = "34", _("Blang")
    SALAR = "35", _("Salar")
    MAONAN = "36", _("Maonan")
    GELAO = "37", _("Gelao")
    XIBE = "38", _("Xibe")
    ACHANG = "39", _("Achang")
    PUMI = "40", _("Pumi")
    TAJIK = "41", _("Tajik")
    NU = "42", _("Nu")
    UZBEK = "43", _("Uzbek")
    RUSSIAN = "44", _("Russian")
    EVENKI = "45", _("Evenki")
    DEANG = "46", _("De'ang")
    BONAN = "47", _("Bonan")
    YUGUR = "48", _("Yugur")
    GIN = "49", _("Gin")
    TATAR = "50", _("Tatar")
    DERUNG = "51", _("Derung")
    OROQEN = "52", _("Oroqen")
    HEZHEN = "53", _("Hezhen")
    MONBA = "54", _("Monba")
    LHOBA = "55", _("Lhoba")
    JINO = "56", _("Jino")


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
