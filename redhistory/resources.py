"""Artefacts and veterans in spreadsheets, in the column layout of the national census of movable
relics (总登记号, 藏品名称, 类别, 年代, 材质, 完残程度, 实际数量, 尺寸, 来源方式, 入藏日期 …).

Headers and choices are Chinese; an import is all-or-nothing (IMPORT_EXPORT_USE_TRANSACTIONS) and
a bad row says what is wrong in Chinese; every exported text cell goes through
`core.workbook.neutralise` so that no cell runs as a formula.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields, widgets

from core.widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    MultipleChoiceWidget,
    PortalResource,
    YesNoWidget,
    is_blank,
    text_of,
)

from . import services
from .models import Artefact, Veteran, VeteranService, War

MESSAGE_NO_DONOR = _("No veteran named “%(name)s”; add the veteran first.")
MESSAGE_MANY_DONORS = _("%(count)s veterans are named “%(name)s”; give the donor's number instead.")
MESSAGE_NO_DONOR_NUMBER = _("No veteran has the number %(number)s.")
MESSAGE_DONOR_MISMATCH = _("Veteran number %(number)s is “%(found)s”, not “%(name)s”.")
MESSAGE_NO_SUCH_VETERAN = _("No veteran has this number; leave the number blank to add one.")


# "李树林（17）": a donor's name with their number, as the export writes it.
DONOR_WITH_NUMBER = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<number>\d+)\s*[)）]$")


class DonorWidget(widgets.ForeignKeyWidget):
    """A donor by number (their id), by name (refused when ambiguous), or as the export writes
    them, "name（number）", so that an exported sheet imports back even when two veterans share
    a name."""

    def __init__(self):
        super().__init__(Veteran, field="name")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = text_of(value)
        named = DONOR_WITH_NUMBER.match(text)
        if named:
            found = Veteran.objects.filter(pk=int(named["number"])).first()
            if found is None:
                raise ValueError(MESSAGE_NO_DONOR_NUMBER % {"number": named["number"]})
            if named["name"] and named["name"] != found.name:
                raise ValueError(
                    MESSAGE_DONOR_MISMATCH
                    % {"number": named["number"], "found": found.name, "name": named["name"]}
                )
            return found
        if text.isdigit():
            found = Veteran.objects.filter(pk=int(text)).first()
            if found:
                return found
        matches = list(Veteran.objects.filter(name=text)[:5])
        if not matches:
            raise ValueError(MESSAGE_NO_DONOR % {"name": text})
        if len(matches) > 1:
            raise ValueError(MESSAGE_MANY_DONORS % {"name": text, "count": len(matches)})
        return matches[0]


class AllOrNothingResource(PortalResource):
    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """All or nothing: one bad row, and no row is written."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run, raise_errors, **kwargs)


def choice_field(attribute, label, choices):
    # A blank cell stays blank here; the model's full_clean says when the field is required.
    return fields.Field(
        attribute=attribute, column_name=label, widget=ChoiceWidget(choices, blank=True)
    )


class ArtefactResource(AllOrNothingResource):
    """Artefacts keyed on the accession number (总登记号); a blank number gets the next one."""

    accession_number = fields.Field(
        attribute="accession_number",
        column_name=pgettext_lazy("spreadsheet column", "accession number"),
    )
    name = fields.Field(
        attribute="name", column_name=pgettext_lazy("spreadsheet column", "object name")
    )
    category = choice_field(
        "category", pgettext_lazy("spreadsheet column", "category"), Artefact.Category.choices
    )
    era_text = fields.Field(
        attribute="era_text", column_name=pgettext_lazy("spreadsheet column", "era")
    )
    war = choice_field("war", pgettext_lazy("spreadsheet column", "war"), War.choices)
    made_in = fields.Field(
        attribute="made_in", column_name=pgettext_lazy("spreadsheet column", "date made")
    )
    material = fields.Field(
        attribute="material", column_name=pgettext_lazy("spreadsheet column", "material")
    )
    condition = choice_field(
        "condition", pgettext_lazy("spreadsheet column", "condition"), Artefact.Condition.choices
    )
    quantity = fields.Field(
        attribute="quantity",
        column_name=pgettext_lazy("spreadsheet column", "actual quantity"),
        widget=IntegerWidget(),
    )
    dimensions = fields.Field(
        attribute="dimensions", column_name=pgettext_lazy("spreadsheet column", "dimensions")
    )
    acquisition = choice_field(
        "acquisition",
        pgettext_lazy("spreadsheet column", "how acquired"),
        Artefact.Acquisition.choices,
    )
    acquired_on = fields.Field(
        attribute="acquired_on",
        column_name=pgettext_lazy("spreadsheet column", "date of accession"),
        widget=DateWidget(),
    )
    grade = choice_field(
        "grade", pgettext_lazy("spreadsheet column", "relic grade"), Artefact.Grade.choices
    )
    donor = fields.Field(
        attribute="donor",
        column_name=pgettext_lazy("spreadsheet column", "donor"),
        widget=DonorWidget(),
    )
    loan_due_on = fields.Field(
        attribute="loan_due_on",
        column_name=pgettext_lazy("spreadsheet column", "loan due back on"),
        widget=DateWidget(),
    )
    story = fields.Field(
        attribute="story", column_name=pgettext_lazy("spreadsheet column", "story")
    )

    class Meta:
        model = Artefact
        import_id_fields = ["accession_number"]
        fields = [
            "accession_number",
            "name",
            "category",
            "era_text",
            "war",
            "made_in",
            "material",
            "condition",
            "quantity",
            "dimensions",
            "acquisition",
            "acquired_on",
            "grade",
            "donor",
            "loan_due_on",
            "story",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        return Artefact.objects.select_related("donor")

    def get_instance(self, instance_loader, row):
        if not (row.get(str(self.fields["accession_number"].column_name)) or "").strip():
            return None
        return super().get_instance(instance_loader, row)

    def dehydrate_donor(self, artefact):
        return f"{artefact.donor.name}（{artefact.donor.pk}）" if artefact.donor else ""

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Numbered before validation, as on entry in the admin; a failed import rolls the
        # counter back with everything else.
        if not instance.accession_number:
            year = (instance.acquired_on or timezone.localdate()).year
            instance.accession_number = services.accession_number_next(year=year)
        else:
            services.accession_counter_include(number=instance.accession_number)

    def before_save_instance(self, instance, row, **kwargs):
        instance._entering = instance.pk is None

    def after_save_instance(self, instance, row, **kwargs):
        if getattr(instance, "_entering", False):
            services.artefact_entry_record(artefact=instance, by=self.user)


class WarsWidget(MultipleChoiceWidget):
    """The wars served in, as Chinese labels joined by 、."""

    def __init__(self):
        super().__init__(War.choices)


class VeteranResource(AllOrNothingResource):
    """Veterans keyed on their number (编号; blank adds a veteran). Health and the guardian are
    exported only to users who may change veterans (bureau staff), never to readers."""

    id = fields.Field(
        attribute="id",
        column_name=pgettext_lazy("spreadsheet column", "number"),
        widget=IntegerWidget(),
    )
    name = fields.Field(attribute="name", column_name=pgettext_lazy("spreadsheet column", "name"))
    gender = choice_field(
        "gender", pgettext_lazy("spreadsheet column", "gender"), Veteran.Gender.choices
    )
    birth_year = fields.Field(
        attribute="birth_year",
        column_name=pgettext_lazy("spreadsheet column", "birth year"),
        widget=IntegerWidget(),
    )
    county = fields.Field(
        attribute="county",
        column_name=pgettext_lazy("spreadsheet column", "county"),
        widget=ChoiceWidget(Veteran._meta.get_field("county").choices, blank=True),
    )
    native_place = fields.Field(
        attribute="native_place", column_name=pgettext_lazy("spreadsheet column", "native place")
    )
    wars = fields.Field(
        attribute="wars_text",
        column_name=pgettext_lazy("spreadsheet column", "wars served in"),
        widget=WarsWidget(),
    )
    party_joined_on = fields.Field(
        attribute="party_joined_on",
        column_name=pgettext_lazy("spreadsheet column", "joined the Party on"),
        widget=DateWidget(),
    )
    army_joined_on = fields.Field(
        attribute="army_joined_on",
        column_name=pgettext_lazy("spreadsheet column", "joined the army on"),
        widget=DateWidget(),
    )
    died_on = fields.Field(
        attribute="died_on",
        column_name=pgettext_lazy("spreadsheet column", "died on"),
        widget=DateWidget(),
    )
    public_profile = fields.Field(
        attribute="public_profile",
        column_name=pgettext_lazy("spreadsheet column", "public profile consented"),
        widget=YesNoWidget(),
    )
    disabled = fields.Field(
        attribute="disabled",
        column_name=pgettext_lazy("spreadsheet column", "disabled"),
        widget=YesNoWidget(),
    )
    aphasic = fields.Field(
        attribute="aphasic",
        column_name=pgettext_lazy("spreadsheet column", "unable to speak"),
        widget=YesNoWidget(),
    )
    amnesic = fields.Field(
        attribute="amnesic",
        column_name=pgettext_lazy("spreadsheet column", "memory loss"),
        widget=YesNoWidget(),
    )
    long_illness = fields.Field(
        attribute="long_illness",
        column_name=pgettext_lazy("spreadsheet column", "long illness"),
        widget=YesNoWidget(),
    )
    guardian_name = fields.Field(
        attribute="guardian_name", column_name=pgettext_lazy("spreadsheet column", "guardian")
    )
    guardian_phone = fields.Field(
        attribute="guardian_phone",
        column_name=pgettext_lazy("spreadsheet column", "guardian's phone"),
    )

    PRIVATE_FIELDS = [
        "disabled",
        "aphasic",
        "amnesic",
        "long_illness",
        "guardian_name",
        "guardian_phone",
    ]

    class Meta:
        model = Veteran
        import_id_fields = ["id"]
        fields = [
            "id",
            "name",
            "gender",
            "birth_year",
            "county",
            "native_place",
            "wars",
            "party_joined_on",
            "army_joined_on",
            "died_on",
            "public_profile",
            "disabled",
            "aphasic",
            "amnesic",
            "long_illness",
            "guardian_name",
            "guardian_phone",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if user is not None and not user.has_perm("redhistory.change_veteran"):
            for name in self.PRIVATE_FIELDS:
                self.fields.pop(name, None)

    def get_export_order(self):
        return [name for name in super().get_export_order() if name in self.fields]

    def get_queryset(self):
        return Veteran.objects.prefetch_related("services")

    def get_instance(self, instance_loader, row):
        if not str(row.get(str(self.fields["id"].column_name)) or "").strip():
            return None
        found = super().get_instance(instance_loader, row)
        if found is None:
            raise ValidationError(MESSAGE_NO_SUCH_VETERAN)
        return found

    def dehydrate_wars(self, veteran):
        return "、".join(str(war.label) for war in veteran.wars)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "wars_text":
            instance._imported_wars = field.clean(row, **kwargs)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        wars = getattr(instance, "_imported_wars", None)
        if not wars:
            return
        have = set(instance.services.values_list("war", flat=True))
        for war in wars:
            if war not in have:
                VeteranService.objects.create(veteran=instance, war=war)
