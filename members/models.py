from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MemberQuerySet(models.QuerySet):
    def current(self):
        """Members on the current roster: not transferred out, not deceased."""
        return self.filter(status=Member.Status.CURRENT)

    def for_user(self, user):
        from config.roles import user_sees_all_organisations

        if user_sees_all_organisations(user):
            return self
        return self.filter(organisation__secretaries=user)


class Member(models.Model):
    """A Party member of one of the bureau's organisations; most are retired cadres."""

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

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.FULL
    )
    joined_on = models.DateField(_("joined the Party on"))
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    employment = models.CharField(_("employment status"), max_length=20, choices=Employment.choices)
    organisation = models.ForeignKey(
        "branches.Organisation",
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CURRENT, editable=False
    )
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "name", "pk"]
        indexes = [
            # the member changelist and Organisation.objects.with_member_counts()
            models.Index(fields=["organisation", "status"], name="members_member_org_status"),
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
