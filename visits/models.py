from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Visit(models.Model):
    """A group's visit to an education base, counted in the visitor statistics."""

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
        MEETING = "meeting", _("organisational life meeting")

    base = models.ForeignKey(
        "exhibitions.EducationBase",
        verbose_name=_("education base"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("visited on"))
    group_name = models.CharField(_("visiting group"), max_length=200)
    category = models.CharField(_("visitor category"), max_length=20, choices=Category.choices)
    headcount = models.PositiveIntegerField(_("headcount"))
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    meeting = models.OneToOneField(
        "branches.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "pk"]
        indexes = [
            # visits statistics: totals by base and date range
            models.Index(fields=["base", "visited_on"], name="visits_visit_base_date"),
            # visits statistics: totals by date range and category
            models.Index(fields=["visited_on", "category"], name="visits_visit_date_category"),
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
