import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.counties import County
from core.geo import map_links
from core.images import PortalImageField, RandomName
from core.scoping import ScopedQuerySet
from core.validators import validate_document

from .storage import FOLDER as DOCUMENT_FOLDER
from .storage import document_storage


class Activity(models.Model):
    """An activity a base offers to visiting groups (参观学习, 重温入党誓词 …).

    The six rows are seeded by a migration; other apps refer to them by `code`.
    """

    class Code(models.TextChoices):
        VISIT = "visit", _("study visit")
        OATH = "oath", _("re-taking the Party oath")
        LECTURE = "lecture", _("on-site Party lecture")
        THEMED_DAY = "themed_day", _("themed Party day plus")
        SHARING = "sharing", _("sharing of study results")
        TRAINING = "training", _("training and observation")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return self.get_code_display()

    def natural_key(self):
        return (self.code,)


class EducationBaseQuerySet(ScopedQuerySet):
    base_path = ""

    def public(self, *, on=None):
        """Bases the public may see: those whose opening (开放) milestone has been reached."""
        on = on or timezone.localdate()
        opened = ConstructionMilestone.objects.filter(
            base=OuterRef("pk"),
            stage=ConstructionMilestone.Stage.OPENING,
            reached_on__lte=on,
        )
        return self.filter(Exists(opened))


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
    address = models.CharField(_("address"), max_length=200, blank=True)
    transport = models.TextField(
        _("transport"),
        blank=True,
        help_text=_("How to get there by bus or car, and where to park; a sentence or two."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    feature = models.CharField(
        _("feature"),
        max_length=200,
        blank=True,
        help_text=_("What sets this hall apart (一馆一特色), in one sentence."),
    )
    brand = models.CharField(
        _("brand"),
        max_length=100,
        blank=True,
        help_text=_("The brand of its place (一地一品牌), a short phrase."),
    )
    contact = models.CharField(
        _("public contact"),
        max_length=100,
        blank=True,
        help_text=_("An office telephone shown to the public; never a private number."),
    )
    cover = PortalImageField(_("cover image"), folder="bases", blank=True)
    description = models.TextField(
        pgettext_lazy("education base", "description"),
        blank=True,
        help_text=_("Plain text; a blank line starts a new paragraph."),
    )
    featured = models.BooleanField(_("featured on the home page"), default=False)
    activities = models.ManyToManyField(
        Activity,
        verbose_name=_("activities offered"),
        blank=True,
        related_name="bases",
    )
    history = HistoricalRecords(m2m_fields=[organisations, administrators, activities])

    objects = EducationBaseQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="sub_base"),
                name="%(app_label)s_%(class)s_parent_only_for_sub_bases",
                violation_error_message=_("Only a sub-base can have a parent base."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="%(app_label)s_%(class)s_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude and longitude, within -90 to 90 and -180 to 180."
                ),
            ),
        ]
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

    def clean(self):
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A base cannot be its own parent.")})
        if bool(self.latitude is None) != bool(self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
        if self.open_weekdays and not set(self.open_weekdays) <= set("1234567"):
            raise ValidationError(
                {"open_weekdays": _("Use the digits 1 (Monday) to 7 (Sunday) only.")}
            )

    def is_open_on(self, day):
        """Whether visitors are received on this date's weekday."""
        return str(day.isoweekday()) in self.open_weekdays

    def natural_key(self):
        return (self.slug,)

    def open_weekday_labels(self):
        """The opening days as translated weekday names, Monday first."""
        return [WEEKDAYS[digit] for digit in sorted(set(self.open_weekdays)) if digit in WEEKDAYS]

    def closed_weekday_labels(self):
        """The weekdays the base receives no visitors, Monday first."""
        return [label for digit, label in WEEKDAYS.items() if digit not in self.open_weekdays]

    def paragraphs(self):
        """The description split into paragraphs (plain text, escaped by the template)."""
        return [part.strip() for part in self.description.split("\n\n") if part.strip()]

    def map_links(self):
        """(key, label, url) links opening the base in 高德, 百度 and 腾讯 maps; coordinates are
        stored in WGS-84 and converted for each app (core.geo)."""
        if self.latitude is None or self.longitude is None:
            return []
        return map_links(lat=self.latitude, lng=self.longitude, name=self.name)

    def _milestones(self):
        return sorted(
            self.milestones.all(), key=lambda m: ConstructionMilestone.STAGES.index(m.stage)
        )

    def current_stage(self, on=None):
        """The furthest construction stage reached by `on` (today), or None before approval."""
        on = on or timezone.localdate()
        reached = [m for m in self._milestones() if m.reached_on and m.reached_on <= on]
        return reached[-1].stage if reached else None

    def get_current_stage_display(self):
        stage = self.current_stage()
        if stage is None:
            return _("not yet approved")
        return ConstructionMilestone.Stage(stage).label

    def is_public(self, on=None):
        return self.current_stage(on) == ConstructionMilestone.Stage.OPENING


WEEKDAYS = {
    "1": _("Monday"),
    "2": _("Tuesday"),
    "3": _("Wednesday"),
    "4": _("Thursday"),
    "5": _("Friday"),
    "6": _("Saturday"),
    "7": _("Sunday"),
}


class BaseImage(models.Model):
    """A photograph in a base's gallery, shown in order."""

    base = models.ForeignKey(
        EducationBase,
        verbose_name=_("education base"),
        on_delete=models.CASCADE,
        related_name="images",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    image = PortalImageField(_("image"), folder="bases/gallery")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["base", "order", "pk"]
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery")

    def __str__(self):
        return self.caption or f"{self.base} #{self.order}"


class ConstructionMilestone(models.Model):
    """One stage of building a base (报批, 选址, 建馆, 设计, 布展, 开放), with its date and papers.

    The base's current stage is the furthest one reached; it is public once it has opened.
    """

    class Stage(models.TextChoices):
        APPROVAL = "approval", _("approval")
        SITE_SELECTION = "site_selection", _("site selection")
        CONSTRUCTION = "construction", _("construction")
        DESIGN = "design", _("design")
        LAYOUT = "layout", _("exhibition layout")
        OPENING = "opening", _("opening")

    STAGES = [stage.value for stage in Stage]

    base = models.ForeignKey(
        EducationBase,
        verbose_name=_("education base"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    reached_on = models.DateField(
        _("reached on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the stage is still under way."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    document = models.FileField(
        _("document"),
        upload_to=RandomName(DOCUMENT_FOLDER),
        storage=document_storage,
        max_length=200,
        blank=True,
        validators=[validate_document],
        help_text=_("An approval, plan or acceptance paper (PDF, Word, Excel or image)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["base", "reached_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "stage"],
                name="%(app_label)s_%(class)s_unique_stage",
                violation_error_message=_("This base already has a milestone for this stage."),
            ),
        ]
        indexes = [
            # EducationBaseQuerySet.public(): the opening milestone of each base
            models.Index(fields=["stage", "reached_on", "base"], name="exhibitions_milestone_open"),
        ]
        verbose_name = _("construction milestone")
        verbose_name_plural = _("construction milestones")

    def __str__(self):
        return f"{self.base} · {self.get_stage_display()}"

    def clean(self):
        super().clean()
        if self.reached_on and self.reached_on > timezone.localdate() + datetime.timedelta(
            days=366
        ):
            raise ValidationError({"reached_on": _("The date is too far in the future.")})


class ExhibitionSectionQuerySet(ScopedQuerySet):
    base_path = "base"


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

    objects = ExhibitionSectionQuerySet.as_manager()

    class Meta:
        ordering = ["base", "order", "pk"]
        verbose_name = _("exhibition section")
        verbose_name_plural = _("exhibition sections")

    def __str__(self):
        return f"{self.base} · {self.title}"

    def paragraphs(self):
        return [part.strip() for part in self.text.split("\n\n") if part.strip()]

    def current_displays(self, on=None):
        """The display custody events running in this section on `on` (today)."""
        return self.custody_events.displays(on=on)


class SectionImage(models.Model):
    """A photograph of an exhibition section, shown in order."""

    section = models.ForeignKey(
        ExhibitionSection,
        verbose_name=_("exhibition section"),
        on_delete=models.CASCADE,
        related_name="images",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    image = PortalImageField(_("image"), folder="bases/sections")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("section image")
        verbose_name_plural = _("section images")

    def __str__(self):
        return self.caption or f"{self.section} #{self.order}"
