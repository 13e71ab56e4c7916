from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Unit(models.Model):
    """A work unit in which Party organisations sit: the bureau and its subordinate units.

    Units abolished in the public-institution reform (晋中市第二休干所) are kept with the date
    they were merged, because activity-room ratings and history still name them.
    """

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("bureau")
        REST_HOME = "rest_home", _("retired cadres' rest home")
        ACTIVITY_CENTRE = "activity_centre", _("activity centre")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinate_units",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    staff_posts = models.PositiveIntegerField(_("staff posts"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The organisations a user may work on: all for staff roles, their own for a secretary."""
        from config.roles import user_sees_all_organisations

        if user_sees_all_organisations(user):
            return self
        return self.filter(secretaries=user)


class Organisation(models.Model):
    """A Party organisation of the bureau: the general branch and the branches under it."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("general Party branch")
        BRANCH = "branch", _("Party branch")
        GROUP = "group", _("Party group")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="organisations"
    )
    is_retiree_branch = models.BooleanField(_("retiree branch"), default=False)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary accounts"),
        blank=True,
        related_name="secretary_of",
        help_text=_("Users with the branch secretary role who keep this organisation's records."),
    )
    history = HistoricalRecords(m2m_fields=[secretaries])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        permissions = [
            ("access_all_organisations", _("Can work on every Party organisation")),
        ]
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Meeting(models.Model):
    """A meeting of organisational life (三会一课, 主题党日 and the like)."""

    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", _("branch general meeting")
        COMMITTEE_MEETING = "committee_meeting", _("branch committee meeting")
        GROUP_MEETING = "group_meeting", _("Party group meeting")
        PARTY_LECTURE = "party_lecture", _("Party lecture")
        THEMED_DAY = "themed_day", _("themed Party day")
        LIFE_MEETING = "life_meeting", _("organisational life meeting")
        APPRAISAL = "appraisal", _("democratic appraisal of members")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    base = models.ForeignKey(
        "exhibitions.EducationBase",
        verbose_name=_("education base"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("The education base where the meeting was held, if any."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "pk"]
        indexes = [
            # branches yearly meeting view: counts per organisation, kind and year
            models.Index(fields=["organisation", "held_on"], name="branches_meeting_org_date"),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.held_on} {self.topic}"

    def present_count(self):
        return self.attendances.filter(status=MeetingAttendance.Status.PRESENT).count()


class MeetingAttendance(models.Model):
    """Whether a member attended a meeting, was absent (with a reason), or was excused."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused from attendance")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("Party member"),
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=Status.choices, default=Status.PRESENT
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This member is already on the meeting's attendance."),
            ),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.meeting} · {self.member}"
