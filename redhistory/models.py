"""Red history records: veterans, their field visits, artefacts, oral histories and micro-films.

Artefacts are catalogued as a museum would (China's movable-relics census, SPECTRUM object entry):
an accession number from a per-year counter that never reuses a number, a dated custody chronology
from which the current location is read, condition checks over time and a recorded deaccession.
Files of anything not public are served only through `redhistory.media.protected_media`.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.counties import County
from core.images import PortalImageField, RandomName
from core.validators import validate_audio, validate_document, validate_video

from .storage import redhistory_storage
from .transcripts import OPENING_MARK, public_text


class War(models.TextChoices):
    ANTI_JAPANESE = "anti_japanese", _("War of Resistance against Japanese Aggression")
    LIBERATION = "liberation", _("War of Liberation")
    KOREA = "korea", _("War to Resist US Aggression and Aid Korea")


# Rescue queue score (抢救性采集), higher is more urgent. Documented in docs/redhistory.md:
#   2 points per year of age above 80, + 10 disabled (失能), + 15 unable to speak (失语),
#   + 15 memory loss (失忆), + 20 long illness, + 30 when no oral history has been recorded yet.
# Speech and memory weigh more than mobility: a disabled veteran can still be recorded at home.
RESCUE_AGE_FROM = 80
RESCUE_POINTS_PER_YEAR = 2
RESCUE_POINTS_DISABLED = 10
RESCUE_POINTS_APHASIC = 15
RESCUE_POINTS_AMNESIC = 15
RESCUE_POINTS_LONG_ILLNESS = 20
RESCUE_POINTS_NO_ORAL_HISTORY = 30


def _points(condition, points):
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


class VeteranQuerySet(models.QuerySet):
    def public(self):
        """Veterans whose public profile the veteran or family consented to."""
        return self.filter(public_profile=True)

    def alive(self):
        return self.filter(died_on__isnull=True)

    def rescue_queue(self, today=None):
        """Living veterans ranked by how urgently their memories must be recorded.

        Annotates `rescue_score` (see the RESCUE_* constants) and `has_oral_history`.
        """
        today = today or timezone.localdate()
        recorded = OralHistory.objects.filter(narrator=OuterRef("pk"))
        return (
            self.alive()
            .annotate(has_oral_history=Exists(recorded))
            .annotate(
                rescue_score=Greatest(
                    Value(today.year - RESCUE_AGE_FROM) - F("birth_year"),
                    Value(0),
                    output_field=IntegerField(),
                )
                * RESCUE_POINTS_PER_YEAR
                + _points(Q(disabled=True), RESCUE_POINTS_DISABLED)
                + _points(Q(aphasic=True), RESCUE_POINTS_APHASIC)
                + _points(Q(amnesic=True), RESCUE_POINTS_AMNESIC)
                + _points(Q(long_illness=True), RESCUE_POINTS_LONG_ILLNESS)
                + _points(Q(has_oral_history=False), RESCUE_POINTS_NO_ORAL_HISTORY)
            )
            .order_by("-rescue_score", "birth_year", "pk")
        )


class Veteran(models.Model):
    """A revolutionary veteran (老同志 / 革命功臣) the bureau has sought out.

    Guardian, health and the Party member record are private: never on a public page.
    """

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    county = models.CharField(_("county"), max_length=20, choices=County.choices)
    native_place = models.CharField(_("native place"), max_length=100, blank=True)
    party_joined_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    army_joined_on = models.DateField(_("joined the army on"), null=True, blank=True)
    died_on = models.DateField(_("died on"), null=True, blank=True)
    disabled = models.BooleanField(_("disabled"), default=False)
    aphasic = models.BooleanField(_("unable to speak"), default=False)
    amnesic = models.BooleanField(_("memory loss"), default=False)
    long_illness = models.BooleanField(_("long illness"), default=False)
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    portrait = PortalImageField(
        _("portrait"), folder="redhistory/portraits", storage=redhistory_storage, blank=True
    )
    public_profile = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("The veteran or the family consented to a public profile."),
    )
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("Party member record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="veteran",
    )
    history = HistoricalRecords()

    objects = VeteranQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        permissions = [
            ("import_veteran", _("Can import veterans")),
            ("export_veteran", _("Can export veterans")),
        ]
        verbose_name = _("veteran")
        verbose_name_plural = _("veterans")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("redhistory:veteran_detail", args=[self.pk])

    @property
    def alive(self):
        return self.died_on is None

    @property
    def wars(self):
        """The wars the veteran served in, from their service rows (prefetch `services`)."""
        seen = []
        for service in self.services.all():
            if service.war and service.war not in seen:
                seen.append(service.war)
        return [War(value) for value in seen]

    def age(self, today=None):
        today = today or timezone.localdate()
        end = self.died_on or today
        return end.year - self.birth_year


class VeteranService(models.Model):
    """One stretch of a veteran's military service: the war, the unit and the post held."""

    veteran = models.ForeignKey(
        Veteran, verbose_name=_("veteran"), on_delete=models.CASCADE, related_name="services"
    )
    war = models.CharField(_("war"), max_length=20, choices=War.choices)
    unit = models.CharField(pgettext_lazy("military", "unit"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    from_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["veteran", "from_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_year__isnull=True)
                | Q(from_year__isnull=True)
                | Q(to_year__gte=F("from_year")),
                name="%(app_label)s_%(class)s_years_in_order",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
        ]
        verbose_name = _("military service")
        verbose_name_plural = _("military service")

    def __str__(self):
        return f"{self.get_war_display()} {self.unit}".strip()


class FieldVisit(models.Model):
    """A visit to a veteran at home by a city or county team (寻访革命功臣)."""

    class Team(models.TextChoices):
        CITY = "city", _("city team")
        COUNTY = "county", _("county team")

    visited_on = models.DateField(_("visited on"))
    veteran = models.ForeignKey(
        Veteran, verbose_name=_("veteran"), on_delete=models.PROTECT, related_name="field_visits"
    )
    team = models.CharField(_("team"), max_length=10, choices=Team.choices)
    members = models.TextField(_("team members"), blank=True)
    collected = models.TextField(
        _("materials collected"),
        blank=True,
        help_text=_("Memoirs, archives and objects handed over."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "pk"]
        indexes = [
            # rescue queue and the veteran page: a veteran's visits newest first
            models.Index(fields=["veteran", "visited_on"], name="redhistory_visit_veteran"),
        ]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self):
        return f"{self.veteran} {self.visited_on}"


class FieldVisitPhoto(models.Model):
    visit = models.ForeignKey(
        FieldVisit, verbose_name=_("field visit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = PortalImageField(_("image"), folder="redhistory/visits", storage=redhistory_storage)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "order", "pk"]
        verbose_name = _("field visit photo")
        verbose_name_plural = _("field visit photos")

    def __str__(self):
        return self.caption or str(self.visit)


class AccessionCounter(models.Model):
    """The last accession number given in a year; it only grows, so a number is never reused
    even after an artefact is removed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = _("accession counter")
        verbose_name_plural = _("accession counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


MESSAGE_LOAN_NEEDS_DUE_DATE = _("A loan needs the date it is due back to its lender.")
ACCESSION_PREFIX = "HS"
ACCESSION_PATTERN = re.compile(r"^HS-(\d{4})-(\d{4,})$")


class ArtefactQuerySet(models.QuerySet):
    def public(self):
        """Artefacts the public may see: published by staff and still in the collection."""
        return self.filter(published=True).exclude(
            custody_events__kind=CustodyEvent.Kind.DEACCESSION
        )

    def in_collection(self):
        return self.exclude(custody_events__kind=CustodyEvent.Kind.DEACCESSION)

    def loans_due(self, today=None, within_days=30):
        """Loans in (借展) still held whose return date is past or within `within_days`."""
        today = today or timezone.localdate()
        return (
            self.in_collection()
            .filter(
                acquisition=Artefact.Acquisition.LOAN,
                loan_due_on__lte=today + datetime.timedelta(days=within_days),
            )
            .order_by("loan_due_on", "pk")
        )

    def loans_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.loans_due(today, within_days=-1)

    def with_current_custody(self):
        """Annotates `custody_kind`, `custody_location` and `custody_base` from the newest event,
        in the same query (for lists)."""
        newest = CustodyEvent.objects.filter(artefact=OuterRef("pk")).order_by("-starts_on", "-pk")
        return self.annotate(
            custody_kind=models.Subquery(newest.values("kind")[:1]),
            custody_location=models.Subquery(newest.values("location")[:1]),
            custody_base=models.Subquery(newest.values("base__name")[:1]),
        )


class Artefact(models.Model):
    """A red artefact (红色物件) in the collection, catalogued as a museum would."""

    class Category(models.TextChoices):
        MEDAL = "medal", _("medals and decorations")
        LETTER = "letter", _("family letters")
        UNIFORM = "uniform", _("uniforms and clothing")
        WEAPON = "weapon", _("weapons and equipment")
        PHOTO = "photo", _("photographs and film")
        DOCUMENT = "document", _("documents and archives")
        MEMOIR = "memoir", _("memoirs")
        OTHER = "other", _("other")

    class Condition(models.TextChoices):
        COMPLETE = "complete", _("complete")
        MOSTLY_COMPLETE = "mostly_complete", _("mostly complete")
        DAMAGED = "damaged", _("damaged")

    class Acquisition(models.TextChoices):
        DONATION = "donation", _("donation")
        LOAN = "loan", _("loan")
        REPLICA = "replica", _("replica")
        COLLECTED = "collected", _("collection by the bureau")

    class Grade(models.TextChoices):
        FIRST = "first", _("grade-one relic")
        SECOND = "second", _("grade-two relic")
        THIRD = "third", _("grade-three relic")
        GENERAL = "general", _("general relic")
        UNGRADED = "ungraded", _("not graded")

    accession_number = models.CharField(
        _("accession number"),
        max_length=20,
        unique=True,
        help_text=_("Given on entry, e.g. HS-2024-0001; never reused."),
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    war = models.CharField(_("era or war"), max_length=20, choices=War.choices, blank=True)
    era_text = models.CharField(_("era"), max_length=50, blank=True)
    made_in = models.CharField(
        _("date made"), max_length=50, blank=True, help_text=_("e.g. 1943 or 1940s")
    )
    material = models.CharField(_("material"), max_length=50, blank=True)
    dimensions = models.CharField(_("dimensions"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.COMPLETE
    )
    donor = models.ForeignKey(
        Veteran,
        verbose_name=_("donor veteran"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="artefacts",
    )
    acquisition = models.CharField(
        _("acquired by"),
        max_length=20,
        choices=Acquisition.choices,
        default=Acquisition.DONATION,
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    loan_due_on = models.DateField(
        _("loan due back on"), null=True, blank=True, help_text=_("For loans in only.")
    )
    deed = models.FileField(
        _("deed of gift or loan"),
        max_length=200,
        upload_to=RandomName("redhistory/deeds"),
        storage=redhistory_storage,
        validators=[validate_document],
        blank=True,
    )
    story = models.TextField(_("story"), blank=True)
    grade = models.CharField(
        _("grade"), max_length=20, choices=Grade.choices, default=Grade.UNGRADED
    )
    published = models.BooleanField(_("shown on the public site"), default=False)
    history = HistoricalRecords()

    objects = ArtefactQuerySet.as_manager()

    class Meta:
        ordering = ["accession_number"]
        indexes = [
            # admin "loans due" filter and ArtefactQuerySet.loans_due
            models.Index(
                fields=["loan_due_on"],
                name="redhistory_artefact_loan_due",
                condition=Q(loan_due_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(loan_due_on__isnull=True) | Q(acquisition="loan"),
                name="%(app_label)s_%(class)s_due_date_only_for_loans",
                violation_error_message=_("Only a loan has a return date."),
            ),
        ]
        permissions = [
            ("import_artefact", _("Can import artefacts")),
            ("export_artefact", _("Can export artefacts")),
        ]
        verbose_name = _("artefact")
        verbose_name_plural = _("artefacts")

    def __str__(self):
        return f"{self.accession_number} {self.name}"

    def get_absolute_url(self):
        return reverse("redhistory:artefact-detail", args=[self.accession_number])

    def clean(self):
        super().clean()
        if self.acquisition == self.Acquisition.LOAN and not self.loan_due_on:
            raise ValidationError({"loan_due_on": MESSAGE_LOAN_NEEDS_DUE_DATE})

    @property
    def current_custody(self):
        """The newest custody event (where the artefact is now), or None before entry.

        Uses prefetched `custody_events` when present."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "custody_events" in cache:
            events = sorted(cache["custody_events"], key=lambda e: (e.starts_on, e.pk))
            return events[-1] if events else None
        return self.custody_events.order_by("-starts_on", "-pk").select_related("base").first()

    @property
    def deaccessioned(self):
        current = self.current_custody
        return current is not None and current.kind == CustodyEvent.Kind.DEACCESSION


class ArtefactImage(models.Model):
    artefact = models.ForeignKey(
        Artefact, verbose_name=_("artefact"), on_delete=models.CASCADE, related_name="images"
    )
    image = PortalImageField(_("image"), folder="redhistory/artefacts", storage=redhistory_storage)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["artefact", "order", "pk"]
        verbose_name = _("artefact image")
        verbose_name_plural = _("artefact images")

    def __str__(self):
        return self.caption or str(self.artefact)


class ConditionCheck(models.Model):
    """A dated check of an artefact's condition; the newest sets `Artefact.condition`."""

    artefact = models.ForeignKey(
        Artefact,
        verbose_name=_("artefact"),
        on_delete=models.PROTECT,
        related_name="condition_checks",
    )
    checked_on = models.DateField(_("checked on"))
    condition = models.CharField(_("condition"), max_length=20, choices=Artefact.Condition.choices)
    checked_by = models.CharField(_("checked by"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["artefact", "-checked_on", "-pk"]
        verbose_name = _("condition check")
        verbose_name_plural = _("condition checks")

    def __str__(self):
        return f"{self.artefact} {self.checked_on} {self.get_condition_display()}"


class CustodyEventQuerySet(models.QuerySet):
    def displays(self, *, on=None):
        """Display events running on `on` (today): begun, and not yet ended. Bases and their
        sections read theirs through the reverse relations (`base.custody_events.displays()`)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on),
            kind=CustodyEvent.Kind.DISPLAY,
            starts_on__lte=on,
        )


class CustodyEvent(models.Model):
    """One dated step in an artefact's custody: entry, storage move, loan, or display at a base.

    The artefact's current location is read from the newest event, never kept in a bare field.
    """

    class Kind(models.TextChoices):
        ENTRY = "entry", _("entry into the collection")
        STORAGE = "storage", _("moved to storage")
        LOAN_OUT = "loan_out", _("lent out")
        DISPLAY = "display", _("on display")
        RETURN = "return", _("returned")
        DEACCESSION = "deaccession", _("deaccessioned")

    artefact = models.ForeignKey(
        Artefact,
        verbose_name=_("artefact"),
        on_delete=models.PROTECT,
        related_name="custody_events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    base = models.ForeignKey(
        "exhibitions.EducationBase",
        verbose_name=_("education base"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_events",
    )
    section = models.ForeignKey(
        "exhibitions.ExhibitionSection",
        verbose_name=_("exhibition section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_events",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CustodyEventQuerySet.as_manager()

    class Meta:
        ordering = ["artefact", "starts_on", "pk"]
        indexes = [
            # exhibitions base page: artefacts currently on display at a base
            models.Index(fields=["base", "kind", "ends_on"], name="redhistory_custody_base"),
            # Artefact.current_custody and ArtefactQuerySet.with_current_custody
            models.Index(fields=["artefact", "starts_on"], name="redhistory_custody_newest"),
        ]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")

    def __str__(self):
        return f"{self.artefact} · {self.get_kind_display()} {self.starts_on}"

    @property
    def place(self):
        """Where the artefact is during this event, in words."""
        if self.base_id:
            return str(self.base) if not self.section_id else f"{self.base} · {self.section}"
        return self.location


RESTRICTED_NOTICE = _("[This passage is withheld at the narrator's request.]")


class OralHistoryQuerySet(models.QuerySet):
    def public(self, today=None):
        """Oral histories the public may see: published, released for the public, embargo over."""
        today = today or timezone.localdate()
        return self.filter(
            Q(release__embargo_until__isnull=True) | Q(release__embargo_until__lte=today),
            status=OralHistory.Status.PUBLISHED,
            release__scope=Release.Scope.PUBLIC,
        )

    def without_withheld_passages(self):
        """Stories with nothing to withhold, in the database: no `[restricted]` in the transcript
        and no restricted segment, so their recording may be played as it is stored (one with
        withheld passages plays only its muted rendition: renditions.public_recording)."""
        return self.exclude(transcript__contains=OPENING_MARK).exclude(segments__restricted=True)

    def embargo_ended(self, today=None):
        """Unpublished oral histories released for the public whose embargo has ended:
        staff review them for publication."""
        today = today or timezone.localdate()
        return self.filter(
            release__scope=Release.Scope.PUBLIC, release__embargo_until__lte=today
        ).exclude(status=OralHistory.Status.PUBLISHED)


class OralHistory(models.Model):
    """An oral history (口述历史) told by a veteran; public only when published with consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")

    class Theme(models.TextChoices):
        BATTLE = "battle", _("major battle")
        MISSION = "mission", _("major task")
        EVENT = "event", _("major event")

    class Period(models.TextChoices):
        REVOLUTION = "revolution", _("revolutionary period")
        CONSTRUCTION = "construction", _("socialist construction period")
        REFORM = "reform", _("reform and opening-up period")

    title = models.CharField(_("title"), max_length=200)
    narrator = models.ForeignKey(
        Veteran,
        verbose_name=_("narrator"),
        on_delete=models.PROTECT,
        related_name="oral_histories",
    )
    interviewers = models.CharField(_("interviewers"), max_length=200, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    duration = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    dialect = models.CharField(_("dialect"), max_length=50, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    period = models.CharField(_("period"), max_length=20, choices=Period.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_("Wrap passages the narrator withholds in [restricted]…[/restricted]."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    video = models.FileField(
        _("video"),
        max_length=200,
        upload_to=RandomName("redhistory/oral/video"),
        storage=redhistory_storage,
        validators=[validate_video],
        blank=True,
    )
    audio = models.FileField(
        _("audio"),
        max_length=200,
        upload_to=RandomName("redhistory/oral/audio"),
        storage=redhistory_storage,
        validators=[validate_audio],
        blank=True,
    )
    history = HistoricalRecords()

    objects = OralHistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "pk"]
        indexes = [
            # public list (OralHistory.objects.public()) newest first
            models.Index(fields=["status", "recorded_on"], name="redhistory_oral_status"),
        ]
        permissions = [("publish_oralhistory", _("Can publish oral histories"))]
        verbose_name = _("oral history")
        verbose_name_plural = _("oral histories")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("redhistory:oralhistory-detail", args=[self.pk])

    def public_transcript(self):
        """The transcript with withheld passages replaced by a notice."""
        return public_text(self.transcript, withheld=str(RESTRICTED_NOTICE))


class OralHistoryPhoto(models.Model):
    oral_history = models.ForeignKey(
        OralHistory, verbose_name=_("oral history"), on_delete=models.CASCADE, related_name="photos"
    )
    image = PortalImageField(
        _("image"), folder="redhistory/oral/photos", storage=redhistory_storage
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["oral_history", "order", "pk"]
        verbose_name = _("oral history photo")
        verbose_name_plural = _("oral history photos")

    def __str__(self):
        return self.caption or str(self.oral_history)


class Release(models.Model):
    """The narrator's signed release (授权书): how far the oral history may be shown, and when."""

    class Scope(models.TextChoices):
        PUBLIC = "public", _("public")
        INTERNAL = "internal", _("internal use only")
        RESTRICTED = "restricted", _("restricted")

    oral_history = models.OneToOneField(
        OralHistory,
        verbose_name=_("oral history"),
        on_delete=models.CASCADE,
        related_name="release",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    scope = models.CharField(
        _("scope"), max_length=20, choices=Scope.choices, default=Scope.INTERNAL
    )
    embargo_until = models.DateField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Not public before this date, whatever the scope."),
    )
    form = models.FileField(
        _("signed form"),
        max_length=200,
        upload_to=RandomName("redhistory/releases"),
        storage=redhistory_storage,
        validators=[validate_document],
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["oral_history"]
        indexes = [
            # OralHistory.objects.embargo_ended: the staff review list
            models.Index(fields=["scope", "embargo_until"], name="redhistory_release_embargo"),
        ]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self):
        return f"{self.oral_history} · {self.get_scope_display()}"


class Segment(models.Model):
    """A passage of an oral history's recording, indexed for finding it again."""

    oral_history = models.ForeignKey(
        OralHistory,
        verbose_name=_("oral history"),
        on_delete=models.CASCADE,
        related_name="segments",
    )
    start_seconds = models.PositiveIntegerField(_("starts at (seconds)"))
    speaker = models.CharField(_("speaker"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=200)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    synopsis = models.TextField(_("synopsis"), blank=True)
    restricted = models.BooleanField(
        _("restricted"), default=False, help_text=_("Withheld from the public site.")
    )
    artefacts = models.ManyToManyField(
        Artefact, verbose_name=_("artefacts mentioned"), blank=True, related_name="segments"
    )
    history = HistoricalRecords(m2m_fields=[artefacts])

    class Meta:
        ordering = ["oral_history", "start_seconds", "pk"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return f"{self.timecode} {self.title}"

    @property
    def timecode(self):
        minutes, seconds = divmod(self.start_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class MicroFilmQuerySet(models.QuerySet):
    def public(self, today=None):
        """Published films all of whose source oral histories are public."""
        hidden_source = MicroFilm.oral_histories.through.objects.filter(
            microfilm=OuterRef("pk")
        ).exclude(oralhistory__in=OralHistory.objects.public(today))
        return self.filter(published=True).exclude(Exists(hidden_source))


class MicroFilm(models.Model):
    """A documentary micro-film (纪实性微电影) made from veterans' oral histories."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    veterans = models.ManyToManyField(
        Veteran, verbose_name=_("veterans"), blank=True, related_name="films"
    )
    oral_histories = models.ManyToManyField(
        OralHistory, verbose_name=_("source oral histories"), blank=True, related_name="films"
    )
    duration = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    video = models.FileField(
        _("video"),
        max_length=200,
        upload_to=RandomName("redhistory/films"),
        storage=redhistory_storage,
        validators=[validate_video],
        blank=True,
    )
    poster = PortalImageField(
        _("poster"), folder="redhistory/films/posters", storage=redhistory_storage, blank=True
    )
    published = models.BooleanField(_("shown on the public site"), default=False)
    history = HistoricalRecords(m2m_fields=[veterans, oral_histories])

    objects = MicroFilmQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("micro-film")
        verbose_name_plural = _("micro-films")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("redhistory:film-detail", args=[self.pk])


class Screening(models.Model):
    film = models.ForeignKey(
        MicroFilm, verbose_name=_("micro-film"), on_delete=models.CASCADE, related_name="screenings"
    )
    place = models.CharField(_("place"), max_length=200)
    shown_on = models.DateField(_("shown on"))
    audience = models.PositiveIntegerField(_("audience"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["film", "-shown_on", "pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self):
        return f"{self.film} · {self.place} {self.shown_on}"


class RescueCandidate(Veteran):
    """The rescue queue (抢救性采集) in the admin: veterans ranked by `rescue_score`."""

    class Meta:
        proxy = True
        verbose_name = _("rescue queue entry")
        verbose_name_plural = _("rescue queue")
