import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from core.workbook import mask_phone as mask_digits

# The largest group one visit record may hold: a typing slip (an extra zero) is refused.
MAX_HEADCOUNT = 2000


class VisitQuerySet(ScopedQuerySet):
    base_path = "base"

    def between(self, first_day, last_day):
        return self.filter(visited_on__range=(first_day, last_day))


class Visit(models.Model):
    """A group's visit to an education base, counted in the visitor statistics.

    A visit is typed by staff, made from a booking when the group has come, recorded by the
    group itself at the base's entrance (check-in), imported from a paper register, or kept in
    step with a meeting of organisational life held at the base (`services.sync_meeting_visit`).
    """

    class Category(models.TextChoices):
        IN_SERVICE_CADRES = "cadres", _("in-service cadres")
        STUDENTS = "students", _("primary and middle-school students")
        RETIRED_MEMBERS = "retired", _("retired Party members")
        PUBLIC = "public", _("the wider public")

    class Source(models.TextChoices):
        STAFF = "staff", _("staff entry")
        BOOKING = "booking", _("booking")
        CHECK_IN = "check_in", _("on-site check-in")
        IMPORT = "import", _("import")
        # Any kind of meeting held at a base (组织生活: a themed day, a lecture, a general
        # meeting…), not only the 组织生活会.
        MEETING = "meeting", pgettext_lazy("visit source", "organisational life")

    base = models.ForeignKey(
        "exhibitions.EducationBase",
        verbose_name=_("education base"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # A context of its own: members' care visits and red history's veteran visits translate
    # "visited on" differently, and the first app's translation would win.
    visited_on = models.DateField(pgettext_lazy("visit to a base", "visited on"))
    group_name = models.CharField(_("visiting group"), max_length=200)
    category = models.CharField(_("visitor category"), max_length=20, choices=Category.choices)
    headcount = models.PositiveIntegerField(_("headcount"))
    activities = models.ManyToManyField(
        "exhibitions.Activity",
        verbose_name=_("activities"),
        blank=True,
        related_name="visits",
    )
    guide = models.CharField(
        _("guide"), max_length=100, blank=True, help_text=_("Who guided the group, if anyone.")
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    # A meeting's visit goes with the meeting: deleting the meeting removes what it counted.
    meeting = models.OneToOneField(
        "branches.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visit",
    )
    # An on-site check-in that names no booking waits for the base's administrator, who keeps
    # it (after correcting it if need be) or rejects it as a duplicate or a mistake.
    needs_review = models.BooleanField(
        _("to be reviewed"),
        default=False,
        help_text=_("An on-site check-in without a booking, not yet confirmed by the base."),
    )
    history = HistoricalRecords(m2m_fields=[activities])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "pk"]
        indexes = [
            # visits.selectors.statistics (by base) and the Visit changelist scoped to bases
            models.Index(fields=["base", "visited_on"], name="visits_visit_base_date"),
            # visits.selectors.statistics (by year, month, category) and the yearly report
            models.Index(fields=["visited_on", "category"], name="visits_visit_date_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="%(app_label)s_%(class)s_headcount_positive",
                violation_error_message=_("A visit has at least one visitor."),
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(source="meeting"),
                name="%(app_label)s_%(class)s_meeting_only_for_meeting_source",
                violation_error_message=_("Only a meeting's visit is linked to a meeting."),
            ),
        ]
        permissions = [
            ("import_visit", _("Can import visits")),
            ("export_visit", _("Can export visits")),
            ("view_statistics", _("Can view visitor statistics")),
        ]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.visited_on} {self.group_name}"

    def clean(self):
        super().clean()
        if self.headcount is not None and self.headcount > MAX_HEADCOUNT:
            raise ValidationError(
                {"headcount": MESSAGE_HEADCOUNT_TOO_LARGE}, params={"max": MAX_HEADCOUNT}
            )


MESSAGE_HEADCOUNT_TOO_LARGE = _("At most %(max)s visitors in one record; split a larger group.")

_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def normalise_phone(value):
    """Digits (and a landline's dash removed), so 138 0000 0000 and 13800000000 are the same."""
    return re.sub(r"[\s\-()（）]", "", value or "")


def is_valid_phone(value):
    return bool(_PHONE_RE.match(normalise_phone(value)))


MESSAGE_BAD_PHONE = _(
    "Enter a mobile number of 11 digits, or a landline with its area code (0354-1234567)."
)


def validate_phone(value):
    if not is_valid_phone(value):
        raise ValidationError(MESSAGE_BAD_PHONE, code="phone")


def phone_digest(value):
    """A keyed hash of the phone number: lookups compare this, never the number itself."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalise_phone(value).encode(), hashlib.sha256).hexdigest()


def mask_phone(value):
    """138****0000: enough for a visitor to recognise their own number, no more."""
    return mask_digits(normalise_phone(value))


class BookingQuerySet(ScopedQuerySet):
    base_path = "base"

    def holding_places(self):
        """Bookings that take places in their slot: waiting for a decision or approved."""
        return self.filter(status__in=[Booking.Status.PENDING, Booking.Status.APPROVED])


class Booking(models.Model):
    """A group's request to visit a base (预约参观) on a date and in a time slot.

    The visitor gets a reference code and looks the booking up with it and their phone number;
    staff or the base's administrator approve it, reject it with a reason or cancel it; when the
    group has come, recording the actual headcount makes it a visit.
    """

    class Slot(models.TextChoices):
        MORNING = "am", _("morning")
        AFTERNOON = "pm", _("afternoon")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")
        VISITED = "visited", _("visited")
        NO_SHOW = "no_show", _("did not come")

    reference = models.CharField(_("reference code"), max_length=12, unique=True, editable=False)
    base = models.ForeignKey(
        "exhibitions.EducationBase",
        verbose_name=_("education base"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    visit_on = models.DateField(_("date of the visit"))
    slot = models.CharField(_("time slot"), max_length=2, choices=Slot.choices)
    group_name = models.CharField(_("visiting group"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=50)
    # Only staff and the base's administrators read the number (in the admin); the public
    # lookup compares `phone_hash` and shows the number masked.
    phone = models.CharField(_("contact phone"), max_length=20, validators=[validate_phone])
    phone_hash = models.CharField(max_length=64, editable=False, db_index=True)
    headcount = models.PositiveIntegerField(_("headcount"))
    category = models.CharField(
        _("visitor category"), max_length=20, choices=Visit.Category.choices
    )
    activities = models.ManyToManyField(
        "exhibitions.Activity",
        verbose_name=_("activities"),
        blank=True,
        related_name="bookings",
    )
    purpose = models.TextField(_("purpose of the visit"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why the booking was rejected or cancelled; the visitor reads it."),
    )
    idempotency_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    visit = models.OneToOneField(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="booking",
    )
    history = HistoricalRecords(excluded_fields=["phone_hash", "idempotency_token"])

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_on", "slot", "pk"]
        indexes = [
            # services.slot_places_left: the places taken in one base's slot
            models.Index(fields=["base", "visit_on", "slot", "status"], name="visits_booking_slot"),
            # the Booking changelist: newest requests first, filtered by status
            models.Index(fields=["status", "created_at"], name="visits_booking_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="%(app_label)s_%(class)s_headcount_positive",
                violation_error_message=_("A booking is for at least one visitor."),
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self):
        return f"{self.reference} {self.group_name}"

    def save(self, *args, **kwargs):
        self.phone = normalise_phone(self.phone)
        self.phone_hash = phone_digest(self.phone)
        super().save(*args, **kwargs)

    def masked_phone(self):
        return mask_phone(self.phone)

    def is_open(self):
        """Still to happen: a decision or the visit itself is ahead."""
        return self.status in (self.Status.PENDING, self.Status.APPROVED)


class ClosureQuerySet(ScopedQuerySet):
    base_path = "base"

    def covering(self, first_day, last_day):
        """Closures that overlap the days from `first_day` to `last_day`."""
        return self.filter(first_day__lte=last_day, last_day__gte=first_day)


class Closure(models.Model):
    """Days a base receives nobody besides its weekly closing days: a holiday, 闭馆布展."""

    base = models.ForeignKey(
        "exhibitions.EducationBase",
        verbose_name=_("education base"),
        on_delete=models.CASCADE,
        related_name="closures",
    )
    first_day = models.DateField(_("closed from"))
    last_day = models.DateField(_("closed until"), help_text=_("The last closed day, included."))
    reason = models.CharField(
        _("reason"), max_length=100, help_text=_("Shown to visitors, e.g. 闭馆布展.")
    )

    objects = ClosureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["base", "first_day"]
        indexes = [
            # visits.selectors.availability and services._check_date: a base's closures ahead
            models.Index(fields=["base", "last_day"], name="visits_closure_base_last"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="%(app_label)s_%(class)s_ordered",
                violation_error_message=_("The last closed day is before the first."),
            ),
        ]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self):
        return f"{self.first_day}–{self.last_day} {self.reason}"


class VisitSummary(models.Model):
    """Visits and visitors per base, day, category and source, kept in step with the visits
    (`visits.summary`): the statistics read these few thousand rows, not a million visits.

    A row whose activity is empty holds the totals; a row with an activity holds the visits
    that included it (a visit of two activities is in both).
    """

    base = models.ForeignKey(
        "exhibitions.EducationBase", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    category = models.CharField(max_length=20, choices=Visit.Category.choices)
    source = models.CharField(max_length=20, choices=Visit.Source.choices)
    # No index of its own: PostgreSQL would AND a million `activity IS NULL` entries into every
    # range query; the partial index below serves the totals.
    activity = models.ForeignKey(
        "exhibitions.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    visits = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "base"]
        indexes = [
            # visits.selectors.statistics: the activity totals of the days at a range's edges
            models.Index(fields=["day", "base"], name="visits_summary_day_base"),
            # visits.selectors.statistics: the totals of those days
            models.Index(
                fields=["day"], condition=Q(activity__isnull=True), name="visits_summary_day_totals"
            ),
        ]
        verbose_name = _("visit summary")
        verbose_name_plural = _("visit summaries")

    def __str__(self):
        return f"{self.day} {self.base_id} {self.category} {self.source}"


class VisitMonthSummary(models.Model):
    """`VisitSummary` added up per month (`month` is its first day): the statistics read whole
    months here and only the days at the edges of a range from the daily rows."""

    base = models.ForeignKey(
        "exhibitions.EducationBase", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    category = models.CharField(max_length=20, choices=Visit.Category.choices)
    source = models.CharField(max_length=20, choices=Visit.Source.choices)
    # No index of its own: PostgreSQL would AND a million `activity IS NULL` entries into every
    # range query; the partial index below serves the totals.
    activity = models.ForeignKey(
        "exhibitions.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    visits = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month", "base"]
        indexes = [
            # visits.selectors.statistics: whole months of a range (activity totals)
            models.Index(fields=["month", "base"], name="visits_month_summary_month"),
            # visits.selectors.statistics: the totals of those months
            models.Index(
                fields=["month"],
                condition=Q(activity__isnull=True),
                name="visits_month_summary_totals",
            ),
        ]
        verbose_name = _("monthly visit summary")
        verbose_name_plural = _("monthly visit summaries")

    def __str__(self):
        return f"{self.month:%Y-%m} {self.base_id} {self.category} {self.source}"
