"""Jinzhong's eleven county-level divisions, where bases stand and veterans live."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.TextChoices):
    """Jinzhong's eleven county-level divisions."""

    YUCI = "yuci", _("Yuci District")
    TAIGU = "taigu", _("Taigu District")
    JIEXIU = "jiexiu", _("Jiexiu City")
    QIXIAN = "qixian", _("Qi County")
    PINGYAO = "pingyao", _("Pingyao County")
    LINGSHI = "lingshi", _("Lingshi County")
    SHOUYANG = "shouyang", _("Shouyang County")
    XIYANG = "xiyang", _("Xiyang County")
    HESHUN = "heshun", _("Heshun County")
    ZUOQUAN = "zuoquan", _("Zuoquan County")
    YUSHE = "yushe", _("Yushe County")
