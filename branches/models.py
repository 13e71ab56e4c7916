from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import add_months, add_years
from core.images import PortalImageField
from core.roles import user_sees_all_organisations
from core.scoping import ScopedQuerySet

# A committee's term (任期) is three years; the admin warns this long before it falls due.
TERM_YEARS = 3
TERM_WARNING_MONTHS = 6


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class OrganisationQuerySet(ScopedQuerySet):
    organisation_path = ""

    def with_member_counts(self):
        """Current members by category, as `member_count`, `full_count`, `probationary_count`:
        an organisation's own members and those of its branches, so a general branch (党总支)
        shows the sum of its branches (67 in the bureau's), as FACTS.md counts it.

        One query for the whole list, whatever the number of members.
        """
        # Members sit above branches (docs/CONTRIBUTING.md, Layers): read through the registry.
        Member = apps.get_model("members", "Member")
        members = (
            Member.objects.filter(status=Member.Status.CURRENT)
            .filter(Q(organisation=OuterRef("pk")) | Q(organisation__parent=OuterRef("pk")))
            .order_by()
            .values("status")
        )

        def count(queryset):
            return Coalesce(
                Subquery(queryset.annotate(n=Count("pk")).values("n")[:1]),
                0,
                output_field=models.IntegerField(),
            )

        return self.annotate(
            member_count=count(members),
            full_count=count(members.filter(category=Member.Category.FULL)),
            probationary_count=count(members.filter(category=Member.Category.PROBATIONARY)),
        )

    def with_current_secretary(self):
        """The name of the secretary of each organisation's current term, as `secretary_name`."""
        secretary = (
            TermPost.objects.filter(
                term__organisation=OuterRef("pk"),
                term__starts_on__lte=timezone.localdate(),
                post=TermPost.Post.SECRETARY,
            )
            .order_by("-term__starts_on")
            .values("member__name")[:1]
        )
        return self.annotate(secretary_name=Subquery(secretary))


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
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
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

    def current_term(self, today=None):
        today = today or timezone.localdate()
        return self.terms.filter(starts_on__lte=today).order_by("-starts_on").first()

    def current_secretary(self, today=None):
        """The member who holds the post of secretary in the current term, or None."""
        term = self.current_term(today)
        if term is None:
            return None
        post = term.posts.filter(post=TermPost.Post.SECRETARY).select_related("member").first()
        return post.member if post else None


class TermQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    label_related = ("organisation",)

    def current(self, today=None):
        """Each organisation's latest term that has started: the one now in office."""
        today = today or timezone.localdate()
        later = Term.objects.filter(
            organisation=OuterRef("organisation"),
            starts_on__gt=OuterRef("starts_on"),
            starts_on__lte=today,
        )
        return self.filter(starts_on__lte=today).exclude(models.Exists(later))

    def due_within(self, today=None, months=TERM_WARNING_MONTHS):
        """Current terms that fall due from today to `months` ahead."""
        today = today or timezone.localdate()
        return self.current(today).filter(due_on__gte=today, due_on__lte=add_months(today, months))

    def overdue(self, today=None):
        """Current terms past their due date: the election (换届) is late."""
        today = today or timezone.localdate()
        return self.current(today).filter(due_on__lt=today)


class Term(models.Model):
    """A term of an organisation's committee (换届): elected on a date, due three years later."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    starts_on = models.DateField(_("elected on"))
    due_on = models.DateField(
        _("due on"),
        editable=False,
        help_text=_("Three years after the election: the next election falls due then."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-starts_on"]
        indexes = [
            # Term.objects.due_within/overdue: the reminders and the admin's term filter
            models.Index(fields=["due_on"], name="branches_term_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "starts_on"],
                name="%(app_label)s_%(class)s_unique_start",
                violation_error_message=_("This organisation already has a term from this date."),
            ),
        ]
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")

    def __str__(self):
        return _("%(organisation)s, term from %(date)s") % {
            "organisation": self.organisation,
            "date": self.starts_on,
        }

    def save(self, *args, **kwargs):
        # Derived, stored so that the admin can filter and index on it.
        self.due_on = add_years(self.starts_on, TERM_YEARS)
        super().save(*args, **kwargs)


class TermPost(models.Model):
    """Who held which post on a committee in a term."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        ORGANISATION = "organisation", _("organisation committee member")
        PUBLICITY = "publicity", _("publicity committee member")
        DISCIPLINE = "discipline", _("discipline inspection committee member")

    term = models.ForeignKey(
        Term, verbose_name=_("committee term"), on_delete=models.CASCADE, related_name="posts"
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("Party member"),
        on_delete=models.PROTECT,
        related_name="committee_posts",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["term", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "post"],
                name="%(app_label)s_%(class)s_unique_post",
                violation_error_message=_("This post is already filled in this term."),
            ),
            models.UniqueConstraint(
                fields=["term", "member"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This member already holds a post in this term."),
            ),
        ]
        verbose_name = _("committee post")
        verbose_name_plural = _("committee posts")

    def __str__(self):
        return f"{self.get_post_display()} {self.member}"

    def clean(self):
        term = TermPost.term.field.get_cached_value(self, None) or (self.term_id and self.term)
        if not (term and term.organisation_id and self.member_id):
            return
        # A general branch's committee is drawn from the members of the branches under it.
        allowed = {term.organisation_id, *term.organisation.children.values_list("pk", flat=True)}
        if self.member.organisation_id not in allowed:
            raise ValidationError(
                {"member": _("The member must belong to the term's organisation.")}
            )


class ActivityRoomQuerySet(ScopedQuerySet):
    organisation_path = "organisations"

    def for_user(self, user):
        # A room shared by two of the secretary's organisations must be listed once: EXISTS,
        # not the join the declared path would make.
        if user_sees_all_organisations(user):
            return self
        shared = ActivityRoom.organisations.through.objects.filter(
            activityroom=OuterRef("pk"), organisation__in=Organisation.objects.for_user(user)
        )
        return self.filter(models.Exists(shared))

    def with_current_stars(self):
        latest = RoomRating.objects.filter(room=OuterRef("pk")).order_by("-rated_on", "-pk")
        return self.annotate(current_stars=Subquery(latest.values("stars")[:1]))


class ActivityRoom(models.Model):
    """A Party activity room (党员活动室), possibly shared by several organisations."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_rooms",
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Party organisations using it"),
        blank=True,
        related_name="activity_rooms",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=[organisations])

    objects = ActivityRoomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Party activity room")
        verbose_name_plural = _("Party activity rooms")

    def __str__(self):
        return self.name


class RoomRating(models.Model):
    """A star rating of an activity room (星级党员活动室), by whom and when."""

    room = models.ForeignKey(
        ActivityRoom,
        verbose_name=_("Party activity room"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_by = models.CharField(_("rated by"), max_length=100, blank=True)
    rated_on = models.DateField(_("rated on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["room", "-rated_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="%(app_label)s_%(class)s_stars_1_to_5",
                violation_error_message=_("A rating has from one to five stars."),
            ),
            models.UniqueConstraint(
                fields=["room", "rated_on"],
                name="%(app_label)s_%(class)s_unique_date",
                violation_error_message=_("This room already has a rating on this date."),
            ),
        ]
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")

    def __str__(self):
        return f"{self.room} {'★' * self.stars}"


class HonourQuerySet(ScopedQuerySet):
    organisation_path = "organisation"

    def for_user(self, user):
        # An honour belongs to an organisation or to one of its members.
        if user_sees_all_organisations(user):
            return self
        organisations = Organisation.objects.for_user(user)
        return self.filter(
            Q(organisation__in=organisations) | Q(member__organisation__in=organisations)
        )


class Honour(models.Model):
    """An honour (荣誉) awarded to an organisation or to a member."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1921), MaxValueValidator(2100)]
    )
    title = models.CharField(pgettext_lazy("honour", "title"), max_length=100)
    awarded_by = models.CharField(_("awarding body"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("Party member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
    )
    history = HistoricalRecords()

    objects = HonourQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, member__isnull=True)
                | Q(organisation__isnull=True, member__isnull=False),
                name="%(app_label)s_%(class)s_one_holder",
                violation_error_message=_(
                    "An honour goes either to an organisation or to a member, not both."
                ),
            ),
        ]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self):
        return f"{self.year} {self.title}"

    @property
    def holder(self):
        return self.organisation or self.member


class MeetingQuerySet(ScopedQuerySet):
    organisation_path = "organisation"

    def with_attendance_counts(self):
        """`present_total` and `expected_total` (应到: everyone on the list but the excused)."""
        return self.annotate(
            present_total=Count(
                "attendances", filter=Q(attendances__status=MeetingAttendance.Status.PRESENT)
            ),
            expected_total=Count(
                "attendances",
                filter=~Q(attendances__status=MeetingAttendance.Status.EXCUSED),
            ),
        )


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
    minutes = models.TextField(_("minutes"), blank=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "pk"]
        indexes = [
            # branches yearly meeting view: counts per organisation, kind and year
            models.Index(fields=["organisation", "held_on"], name="branches_meeting_org_date"),
        ]
        permissions = [
            ("export_meeting", _("Can export meetings")),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.held_on} {self.topic}"

    def expected_count(self):
        """应到会人数: everyone on the attendance list except those excused."""
        return self.attendances.exclude(status=MeetingAttendance.Status.EXCUSED).count()

    def present_count(self):
        return self.attendances.filter(status=MeetingAttendance.Status.PRESENT).count()


# How often each kind must be held (三会一课 and the rest), as periods in a year:
# 党员大会 and 党课 quarterly; 支委会, 党小组会 and 主题党日 monthly; 组织生活会 and 民主评议 yearly.
EXPECTED_PERIODS = {
    Meeting.Kind.GENERAL_MEETING: 4,
    Meeting.Kind.COMMITTEE_MEETING: 12,
    Meeting.Kind.GROUP_MEETING: 12,
    Meeting.Kind.PARTY_LECTURE: 4,
    Meeting.Kind.THEMED_DAY: 12,
    Meeting.Kind.LIFE_MEETING: 1,
    Meeting.Kind.APPRAISAL: 1,
}
# The frequencies bind Party branches (党支部); a general branch's own meetings are only counted.
EXPECTED_FOR_KINDS = [Organisation.Kind.BRANCH]


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

    def clean(self):
        errors = {}
        if self.status != self.Status.PRESENT and not self.reason.strip():
            errors["reason"] = _("Give the reason for an absence or an excuse.")
        # The meeting may still be unsaved (an inline on the add page); its organisation is set.
        meeting = MeetingAttendance.meeting.field.get_cached_value(self, None) or (
            self.meeting_id and self.meeting
        )
        if (
            meeting
            and meeting.organisation_id
            and self.member_id
            and self.member.organisation_id != meeting.organisation_id
        ):
            errors["member"] = _("The member must belong to the meeting's organisation.")
        if errors:
            raise ValidationError(errors)


class AttendanceExemptionQuerySet(ScopedQuerySet):
    organisation_path = "member__organisation"

    def in_force(self, on):
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class AttendanceExemption(models.Model):
    """A member excused from the expected attendance (应到会人数) of meetings for a while.

    Bedridden members, or those living far away, are marked excused, with this reason, on the
    attendance of every meeting held while the exemption is in force.
    """

    class Reason(models.TextChoices):
        BEDRIDDEN = "bedridden", _("bedridden or too frail")
        FAR_AWAY = "far_away", _("lives far away")
        OTHER = "other", _("other")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("Party member"),
        on_delete=models.PROTECT,
        related_name="attendance_exemptions",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AttendanceExemptionQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The exemption cannot end before it starts."),
            ),
        ]
        verbose_name = _("attendance exemption")
        verbose_name_plural = _("attendance exemptions")

    def __str__(self):
        return f"{self.member} · {self.get_reason_display()}"

    def reason_text(self):
        return (
            f"{self.get_reason_display()}：{self.note}" if self.note else self.get_reason_display()
        )


class MeetingPhoto(models.Model):
    """A photo of a meeting; uploads are checked and re-encoded (core.images)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="photos"
    )
    image = PortalImageField(_("image"), folder="meetings")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting photo")
        verbose_name_plural = _("meeting photos")

    def __str__(self):
        return self.caption or str(self.meeting)
