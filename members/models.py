import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.dates import add_years, years_between
from core.images import PortalImageField
from core.scoping import ScopedQuerySet

from .choices import CadreLevel, CareLevel, Education, Ethnicity
from .idnumbers import (
    id_number_birth_date,
    id_number_is_male,
    normalise_id_number,
    validate_id_number,
)

MESSAGE_ID_BIRTH_DATE = _("The birth date does not agree with the ID number (%(date)s).")
MESSAGE_ID_GENDER = _("The gender does not agree with the ID number.")
MESSAGE_CONFIRMED_BEFORE_JOINED = _("A member is confirmed after joining the Party.")
MESSAGE_JOINED_BEFORE_BIRTH = _("The Party joining date is before the birth date.")
MESSAGE_PROBATIONARY_CONFIRMED = _(
    "A probationary member has no confirmation date; record the confirmation instead."
)


class MemberQuerySet(ScopedQuerySet):
    organisation_path = "organisation"
    label_related = ("organisation",)

    def current(self):
        """Members on the current roster: not transferred out, not deceased."""
        return self.filter(status=Member.Status.CURRENT)

    def former(self):
        """The history register (历史党员): members who left or died, kept for good."""
        return self.exclude(status=Member.Status.CURRENT)


class MemberRecordQuerySet(ScopedQuerySet):
    """A member's events, dues payments and care visits belong to the member's organisation."""

    organisation_path = "member__organisation"


class Member(models.Model):
    """A Party member of one of the bureau's organisations; most are retired cadres.

    `status` and `organisation` are the current state; they change only through the events
    written by members.services, so any past date's roster can be recomputed (roster_on).
    """

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Category(models.TextChoices):
        FULL = "full", _("full member")
        PROBATIONARY = "probationary", _("probationary member")

    class Employment(models.TextChoices):
        IN_SERVICE = "in_service", _("in service")
        RETIRED_PRE_1949 = "lixiu", _("retired (pre-1949 veteran, lixiu)")
        RETIRED = "retired", _("retired")

    class Status(models.TextChoices):
        CURRENT = "current", _("current")
        TRANSFERRED_OUT = "transferred_out", _("transferred out")
        DECEASED = "deceased", _("deceased")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.HAN
    )
    birth_date = models.DateField(_("birth date"))
    native_place = models.CharField(_("native place"), max_length=100, blank=True)
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        unique=True,
        validators=[validate_id_number],
        error_messages={"unique": _("A member with this ID number is already registered.")},
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(pgettext_lazy("person", "address"), max_length=200, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.FULL
    )
    joined_on = models.DateField(_("joined the Party on"))
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    employment = models.CharField(_("employment status"), max_length=20, choices=Employment.choices)
    former_unit_post = models.CharField(_("former unit and post"), max_length=200, blank=True)
    cadre_level = models.CharField(
        _("cadre level"), max_length=20, choices=CadreLevel.choices, blank=True
    )
    organisation = models.ForeignKey(
        "branches.Organisation",
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CURRENT, editable=False
    )
    # 三失: the states that decide how often the branch must visit.
    disabled = models.BooleanField(_("disabled (失能)"), default=False)
    speech_loss = models.BooleanField(_("unable to speak (失语)"), default=False)
    memory_loss = models.BooleanField(_("memory loss (失忆)"), default=False)
    care_level = models.CharField(
        _("care level"), max_length=20, choices=CareLevel.choices, blank=True
    )
    guardian = models.CharField(_("guardian or emergency contact"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    dues_base = models.DecimalField(
        _("monthly dues base"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Monthly salary (in service) or pension (retired) before tax, in yuan."),
    )
    photo = PortalImageField(_("photo"), folder="members", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "name", "pk"]
        indexes = [
            # the member changelist and Organisation.objects.with_member_counts()
            models.Index(fields=["organisation", "status"], name="members_member_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(confirmed_on__gte=F("joined_on")),
                name="%(app_label)s_%(class)s_confirmed_after_joined",
                violation_error_message=MESSAGE_CONFIRMED_BEFORE_JOINED,
            ),
        ]
        permissions = [
            ("view_personal_data", _("Can see unmasked personal data")),
            ("import_member", _("Can import members")),
            ("export_member", _("Can export members")),
        ]
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # What people type (spaces, a lower-case x) is tidied before the length check.
        self.id_number = normalise_id_number(self.id_number)
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            pass  # the field's own validator reports it
        else:
            born = id_number_birth_date(self.id_number)
            if self.birth_date and born != self.birth_date:
                errors["birth_date"] = ValidationError(
                    MESSAGE_ID_BIRTH_DATE, code="id_birth_date", params={"date": born}
                )
            if self.gender and (self.gender == self.Gender.MALE) != id_number_is_male(
                self.id_number
            ):
                errors["gender"] = ValidationError(MESSAGE_ID_GENDER, code="id_gender")
        if self.joined_on and self.birth_date and self.joined_on < self.birth_date:
            errors["joined_on"] = ValidationError(MESSAGE_JOINED_BEFORE_BIRTH, code="joined")
        if self.confirmed_on and self.joined_on and self.confirmed_on < self.joined_on:
            errors["confirmed_on"] = ValidationError(
                MESSAGE_CONFIRMED_BEFORE_JOINED, code="confirmed"
            )
        if self.category == self.Category.PROBATIONARY and self.confirmed_on:
            errors["confirmed_on"] = ValidationError(
                MESSAGE_PROBATIONARY_CONFIRMED, code="probationary"
            )
        if errors:
            raise ValidationError(errors)

    def age(self, today=None):
        return years_between(self.birth_date, today or datetime.date.today())

    @property
    def standing_since(self):
        """Party standing (党龄) counts from confirmation as a full member (Party Constitution
        art. 7); a full member recorded without the date counts from a year after joining."""
        if self.category == self.Category.PROBATIONARY:
            return None
        return self.confirmed_on or add_years(self.joined_on, 1)

    def party_standing(self, today=None):
        return years_between(self.standing_since, today or datetime.date.today())

    @property
    def probation_ends_on(self):
        if self.category != self.Category.PROBATIONARY:
            return None
        return add_years(self.joined_on, 1)

    @property
    def three_losses(self):
        """The 三失 states as a list of their labels."""
        return [
            self._meta.get_field(name).verbose_name
            for name in ("disabled", "speech_loss", "memory_loss")
            if getattr(self, name)
        ]

    def monthly_dues(self):
        """The monthly dues as the rules compute them from the base, or None without a base."""
        if self.dues_base is None:
            return None
        return dues_amount(self.dues_base, dues_rate(self.employment, self.dues_base))


# The Central Organisation Department's rules (中组部《关于中国共产党党费收缴、使用和管理的规定》):
# (upper bound of the monthly base, inclusive, or None for "above"; rate).
IN_SERVICE_BANDS = [
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
]
RETIRED_BANDS = [
    (Decimal("5000"), Decimal("0.005")),
    (None, Decimal("0.01")),
]


def dues_rate(employment, base):
    bands = IN_SERVICE_BANDS if employment == Member.Employment.IN_SERVICE else RETIRED_BANDS
    for ceiling, rate in bands:
        if ceiling is None or base <= ceiling:
            return rate
    raise AssertionError("the last band has no ceiling")


def dues_amount(base, rate):
    return (Decimal(base) * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class MemberEventManager(models.Manager.from_queryset(MemberRecordQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(voided_at__isnull=True)


class MemberEvent(models.Model):
    """A change of a member's standing, never edited afterwards: the past stays recomputable."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("joined the Party")
        TRANSFERRED_IN = "transferred_in", _("transferred in")
        CONFIRMED = "confirmed", _("confirmed as full member")
        MOVED = "moved", _("moved to another branch")
        TRANSFERRED_OUT = "transferred_out", _("transferred out")
        DECEASED = "deceased", _("deceased")

    ENTRIES = [Kind.JOINED, Kind.TRANSFERRED_IN]
    EXITS = [Kind.TRANSFERRED_OUT, Kind.DECEASED]

    member = models.ForeignKey(
        Member, verbose_name=_("Party member"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    from_organisation = models.ForeignKey(
        "branches.Organisation",
        verbose_name=_("from organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        "branches.Organisation",
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation the member belongs to after this event."),
    )
    place = models.CharField(
        _("from or to where"),
        max_length=200,
        blank=True,
        help_text=_("For a transfer: the organisation outside the bureau."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # A wrongly recorded event is voided, never edited or deleted: it stays in the history with
    # who voided it and why, and no roster, register or report counts it.
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # The events in force: every roster, register and report reads these (and member.events).
    objects = MemberEventManager()
    # Voided ones too: the member's page and the events list show the whole history.
    all_objects = MemberRecordQuerySet.as_manager()

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["member", "occurred_on", "pk"]
        indexes = [
            # members.selectors.roster_on: the latest event of each member up to a date
            models.Index(fields=["member", "occurred_on"], name="members_event_member_date"),
        ]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self):
        return f"{self.occurred_on} {self.get_kind_display()}"


class DuesPayment(models.Model):
    """One month's Party dues of a member, as the secretary received them."""

    member = models.ForeignKey(
        Member, verbose_name=_("Party member"), on_delete=models.PROTECT, related_name="dues"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    base = models.DecimalField(_("monthly dues base"), max_digits=9, decimal_places=2)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4)
    amount = models.DecimalField(_("amount paid"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = MemberRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "member"]
        indexes = [
            # members.selectors.dues_register: a year's payments of an organisation's members
            models.Index(fields=["year", "member"], name="members_dues_year_member"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "month"],
                name="%(app_label)s_%(class)s_unique_month",
                violation_error_message=_("This month's dues of this member are already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="%(app_label)s_%(class)s_month_range",
                violation_error_message=_("A month is from 1 to 12."),
            ),
        ]
        verbose_name = _("Party dues payment")
        verbose_name_plural = _("Party dues payments")

    def __str__(self):
        return f"{self.member} {self.year}-{self.month:02d}"


class DuesBase(models.Model):
    """A member's monthly dues base from a month on (党费计算基数): the base changes with pay and
    pension, and each month's dues are priced at the base in force in that month."""

    member = models.ForeignKey(
        Member, verbose_name=_("Party member"), on_delete=models.PROTECT, related_name="dues_bases"
    )
    since = models.DateField(
        _("in force from"), help_text=_("The base applies from this date's month on.")
    )
    base = models.DecimalField(
        _("monthly dues base"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Monthly salary (in service) or pension (retired) before tax, in yuan."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = MemberRecordQuerySet.as_manager()

    class Meta:
        ordering = ["member", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "since"],
                name="%(app_label)s_%(class)s_unique_since",
                violation_error_message=_("This member already has a dues base from this date."),
            ),
        ]
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")

    def __str__(self):
        return f"{self.member} {self.since:%Y-%m} {self.base}"


def base_in_force(bases, year, month, fallback=None):
    """The base of `bases` (one member's DuesBase rows, by `since`) in force in a month: the
    latest set from that month or before; before the first, the first (the history starts when
    the record does); `fallback` when there is none."""
    if not bases:
        return fallback
    found = bases[0].base
    for row in bases:
        if (row.since.year, row.since.month) > (year, month):
            break
        found = row.base
    return found


class CareVisit(models.Model):
    """A visit to a member (关心关爱): on a birthday, at a festival, in hospital, on a bereavement."""

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("birthday")
        FESTIVAL = "festival", _("festival")
        HOSPITAL = "hospital", _("hospital")
        BEREAVEMENT = "bereavement", _("bereavement")
        HOME = "home", _("home visit")

    member = models.ForeignKey(
        Member, verbose_name=_("Party member"), on_delete=models.PROTECT, related_name="care_visits"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    visited_on = models.DateField(pgettext_lazy("care", "visited on"))
    visitors = models.CharField(pgettext_lazy("care", "visitors"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = MemberRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "pk"]
        indexes = [
            # members.selectors.care_visits_due: the latest visit of each member
            models.Index(fields=["member", "visited_on"], name="members_care_member_date"),
        ]
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")

    def __str__(self):
        return f"{self.visited_on} {self.member}"
