from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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


class EducationBaseQuerySet(models.QuerySet):
    def public(self):
        """Bases the public may see: only those open to visitors (refined by milestones)."""
        return self.all()

    def for_user(self, user):
        """The bases a user may edit: all for bureau staff, their own for a base administrator."""
        from config.roles import user_sees_all_bases

        if user_sees_all_bases(user):
            return self
        return self.filter(administrators=user)


class EducationBase(models.Model):
    """A red education base (红色教育基地) where visitors learn Party history."""

    class Kind(models.TextChoices):
        INDEPENDENT = "independent", _("independent Party-history education shared base")
        JOINT = "joint", _("jointly built Party-spirit education shared base")
        SUB_BASE = "sub_base", _("red education sub-base")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    county = models.CharField(_("county"), max_length=20, choices=County.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent base"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_bases",
    )
    organisations = models.ManyToManyField(
        "branches.Organisation",
        verbose_name=_("builder organisations"),
        blank=True,
        related_name="education_bases",
    )
    open_weekdays = models.CharField(
        _("open weekdays"),
        max_length=7,
        default="23456",
        help_text=_("Days open to visitors, as ISO weekday digits: 1 is Monday, 7 is Sunday."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    capacity_per_slot = models.PositiveIntegerField(_("capacity per visit slot"), default=50)
    bookings_open = models.BooleanField(_("bookings open"), default=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("base administrator accounts"),
        blank=True,
        related_name="administered_bases",
    )
    history = HistoricalRecords(m2m_fields=[organisations, administrators])

    objects = EducationBaseQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        permissions = [
            ("access_all_bases", _("Can work on every education base")),
            ("import_educationbase", _("Can import education bases")),
            ("export_educationbase", _("Can export education bases")),
        ]
        verbose_name = _("education base")
        verbose_name_plural = _("education bases")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exhibitions:base-detail", args=[self.slug])

    def is_open_on(self, day):
        """Whether visitors are received on this date's weekday."""
        return str(day.isoweekday()) in self.open_weekdays

    def natural_key(self):
        return (self.slug,)


class ExhibitionSection(models.Model):
    """An exhibition section (展区) of a base, shown in order."""

    base = models.ForeignKey(
        EducationBase,
        verbose_name=_("education base"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["base", "order", "pk"]
        verbose_name = _("exhibition section")
        verbose_name_plural = _("exhibition sections")

    def __str__(self):
        return f"{self.base} · {self.title}"
