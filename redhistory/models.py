from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from exhibitions.models import County


class War(models.TextChoices):
    ANTI_JAPANESE = "anti_japanese", _("War of Resistance against Japanese Aggression")
    LIBERATION = "liberation", _("War of Liberation")
    KOREA = "korea", _("War to Resist US Aggression and Aid Korea")


class Veteran(models.Model):
    """A revolutionary veteran (老同志 / 革命功臣) the bureau has sought out."""

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    county = models.CharField(_("county"), max_length=20, choices=County.choices)
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("Party member record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="veteran",
    )
    history = HistoricalRecords()

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


class ArtefactQuerySet(models.QuerySet):
    def public(self):
        """Artefacts the public may see: published by staff and still in the collection."""
        return self.filter(published=True).exclude(
            custody_events__kind=CustodyEvent.Kind.DEACCESSION
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

    accession_number = models.CharField(_("accession number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    war = models.CharField(_("era or war"), max_length=20, choices=War.choices, blank=True)
    donor = models.ForeignKey(
        Veteran,
        verbose_name=_("donor veteran"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="artefacts",
    )
    published = models.BooleanField(_("shown on the public site"), default=False)
    history = HistoricalRecords()

    objects = ArtefactQuerySet.as_manager()

    class Meta:
        ordering = ["accession_number"]
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["artefact", "starts_on", "pk"]
        indexes = [
            # exhibitions base page: artefacts currently on display at a base
            models.Index(fields=["base", "kind", "ends_on"], name="redhistory_custody_base"),
        ]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")

    def __str__(self):
        return f"{self.artefact} · {self.get_kind_display()} {self.starts_on}"


class OralHistoryQuerySet(models.QuerySet):
    def public(self):
        """Oral histories the public may see: published (the consent rules refine this)."""
        return self.filter(status=OralHistory.Status.PUBLISHED)


class OralHistory(models.Model):
    """An oral history (口述历史) told by a veteran; public only when published with consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")

    title = models.CharField(_("title"), max_length=200)
    narrator = models.ForeignKey(
        Veteran,
        verbose_name=_("narrator"),
        on_delete=models.PROTECT,
        related_name="oral_histories",
    )
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    history = HistoricalRecords()

    objects = OralHistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "pk"]
        permissions = [("publish", _("Can publish oral histories"))]
        verbose_name = _("oral history")
        verbose_name_plural = _("oral histories")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("redhistory:oralhistory-detail", args=[self.pk])
