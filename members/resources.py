"""Members in and out of Excel, with the Chinese column headers the branches' rosters use.

Rows are matched on the ID number: importing the same file twice changes nothing, importing an
edited file updates the members it names. Every row is validated as a form would be (the model's
`full_clean`), a secretary's row naming an organisation that is not theirs is refused, and if
any row is wrong nothing is written (the admin passes `rollback_on_validation_errors`).
Changes of standing (organisation, category, leaving) are refused here: they are events,
recorded through members.services. Exports mask ID numbers and phones unless the user may see
them, and neutralise text that a spreadsheet would run as a formula.
"""

import datetime
import itertools
import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from branches.models import Organisation
from config.reports.workbook import neutralise

from .choices import Education, Ethnicity
from .idnumbers import mask_id_number, normalise_id_number
from .models import Member, MemberEvent

MESSAGE_NOT_A_DATE = _(
    "“%(value)s” is not a date; write it as 2024-07-01, 2024.7.1 or 2024年7月1日."
)
MESSAGE_NOT_A_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
MESSAGE_NO_ORGANISATION = _("No Party organisation is named or coded “%(value)s”.")
MESSAGE_NOT_YOUR_ORGANISATION = _("You may only import members of your own organisations.")
MESSAGE_STANDING_CHANGED = _(
    "The %(field)s differs from the register (%(value)s); record this change on the member's "
    "page (“record a change of standing”), not by import."
)
MESSAGE_DUPLICATE_IN_FILE = _("This ID number is on several rows of the file: %(rows)s.")
MESSAGE_LEFT = _("This member has left the roster and cannot be updated by import.")

DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")


def chinese(label):
    with translation.override("zh-hans"):
        return str(label)


def mask_phone(phone):
    if not phone:
        return ""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "****"


class FlexibleDateWidget(widgets.Widget):
    """Excel date cells, or text as the bureau writes dates: 2024-07-01, 2024.7.1, 2024年7月1日."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        match = DATE_PATTERN.match(str(value))
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        raise ValueError(MESSAGE_NOT_A_DATE % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (as in the bureau's sheets), its English label or
    its code; exported as the Chinese label."""

    def __init__(self, choices, aliases=None, blank=False):
        super().__init__()
        self.choices = choices
        self.blank = blank
        self.lookup = {}
        for value, label in choices:
            for key in (value, chinese(label), str(label), *(aliases or {}).get(value, [])):
                self.lookup[str(key).strip().lower()] = value

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.blank:
                return ""
            raise ValueError(
                MESSAGE_NOT_A_CHOICE
                % {"value": text, "choices": "、".join(chinese(c[1]) for c in self.choices)}
            )
        try:
            return self.lookup[text.lower()]
        except KeyError:
            raise ValueError(
                MESSAGE_NOT_A_CHOICE
                % {"value": text, "choices": "、".join(chinese(c[1]) for c in self.choices)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return chinese(dict(self.choices).get(value, value or ""))


class OrganisationWidget(widgets.Widget):
    """An organisation by its name, short name or code; all read in one query per import."""

    def __init__(self):
        super().__init__()
        self._by_key = None

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if self._by_key is None:
            self._by_key = {}
            for organisation in Organisation.objects.all():
                for key in (organisation.name, organisation.short_name, organisation.code):
                    if key:
                        self._by_key.setdefault(key.lower(), organisation)
        try:
            return self._by_key[text.lower()]
        except KeyError:
            raise ValueError(MESSAGE_NO_ORGANISATION % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a phone number typed into a number cell
        return str(value).strip()


class IDNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_id_number(super().clean(value, row, **kwargs))


EMPLOYMENT_ALIASES = {
    Member.Employment.RETIRED_PRE_1949: ["离休", "离休干部"],
    Member.Employment.RETIRED: ["退休", "退休干部"],
    Member.Employment.IN_SERVICE: ["在职"],
}
GENDER_ALIASES = {Member.Gender.MALE: ["男性"], Member.Gender.FEMALE: ["女性"]}
ETHNICITY_ALIASES = {
    value: [chinese(label).removesuffix("族")] for value, label in Ethnicity.choices
}


class MemberResource(resources.ModelResource):
    """The roster as the branches keep it in Excel (党员花名册)."""

    serial = fields.Field(column_name="序号", readonly=True)
    name = fields.Field(attribute="name", column_name="姓名", widget=TextWidget())
    gender = fields.Field(
        attribute="gender",
        column_name="性别",
        widget=ChoiceWidget(Member.Gender.choices, GENDER_ALIASES),
    )
    ethnicity = fields.Field(
        attribute="ethnicity",
        column_name="民族",
        widget=ChoiceWidget(Ethnicity.choices, ETHNICITY_ALIASES),
    )
    birth_date = fields.Field(
        attribute="birth_date", column_name="出生日期", widget=FlexibleDateWidget()
    )
    id_number = fields.Field(
        attribute="id_number", column_name="身份证号码", widget=IDNumberWidget()
    )
    education = fields.Field(
        attribute="education",
        column_name="学历",
        widget=ChoiceWidget(
            Education.choices,
            {
                Education.UNIVERSITY: ["本科", "大学"],
                Education.COLLEGE: ["大专", "专科"],
                Education.POSTGRADUATE: ["硕士", "博士", "研究生学历"],
                Education.PRIMARY: ["小学", "文盲"],
            },
            blank=True,
        ),
    )
    joined_on = fields.Field(
        attribute="joined_on", column_name="入党时间", widget=FlexibleDateWidget()
    )
    confirmed_on = fields.Field(
        attribute="confirmed_on", column_name="转正时间", widget=FlexibleDateWidget()
    )
    category = fields.Field(
        attribute="category",
        column_name="人员类别",
        widget=ChoiceWidget(
            Member.Category.choices,
            {Member.Category.FULL: ["正式"], Member.Category.PROBATIONARY: ["预备"]},
        ),
    )
    former_unit_post = fields.Field(
        attribute="former_unit_post", column_name="原工作单位及职务", widget=TextWidget()
    )
    employment = fields.Field(
        attribute="employment",
        column_name="在职/离退休",
        widget=ChoiceWidget(Member.Employment.choices, EMPLOYMENT_ALIASES),
    )
    organisation = fields.Field(
        attribute="organisation", column_name="所在党支部", widget=OrganisationWidget()
    )
    phone = fields.Field(attribute="phone", column_name="联系电话", widget=TextWidget())
    notes = fields.Field(attribute="notes", column_name="备注", widget=TextWidget())

    class Meta:
        model = Member
        import_id_fields = ["id_number"]
        fields = [
            "serial",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "education",
            "joined_on",
            "confirmed_on",
            "category",
            "former_unit_post",
            "employment",
            "organisation",
            "phone",
            "notes",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._serials = itertools.count(1)

    # --- import ---------------------------------------------------------------------------

    def _allowed_organisations(self):
        if not hasattr(self, "_allowed"):
            queryset = Organisation.objects.all()
            if self.user is not None:
                queryset = Organisation.objects.for_user(self.user)
            self._allowed = set(queryset.values_list("pk", flat=True))
        return self._allowed

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user", self.user)
        rows_by_number = {}
        if dataset.headers and "身份证号码" in dataset.headers:
            for row_number, value in enumerate(dataset["身份证号码"], start=1):
                number = normalise_id_number("" if value is None else str(value))
                rows_by_number.setdefault(number, []).append(row_number)
        # The same person twice in one file: neither row is taken, the user decides.
        self._duplicates = {n: rows for n, rows in rows_by_number.items() if n and len(rows) > 1}

    def before_import_row(self, row, **kwargs):
        # The preview shows the row as read: empty cells as blanks, date cells as dates.
        for key, value in row.items():
            if value is None:
                row[key] = ""
            elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
                row[key] = value.date()

    def import_instance(self, instance, row, **kwargs):
        new = instance.pk is None
        before = None
        if not new:
            before = (instance.organisation_id, instance.category, instance.status)
            if instance.organisation_id not in self._allowed_organisations():
                raise ValidationError({"organisation": MESSAGE_NOT_YOUR_ORGANISATION})
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        organisation_id = instance.__dict__.get("organisation_id")
        if "organisation" not in errors and organisation_id not in self._allowed_organisations():
            errors["organisation"] = [MESSAGE_NOT_YOUR_ORGANISATION]
        if before is not None:
            if before[2] != Member.Status.CURRENT:
                errors.setdefault("__all__", []).append(MESSAGE_LEFT)
            if "organisation" not in errors and organisation_id != before[0]:
                errors["organisation"] = [
                    MESSAGE_STANDING_CHANGED
                    % {"field": gettext("Party organisation"), "value": row.get("所在党支部")}
                ]
            if "category" not in errors and instance.category != before[1]:
                errors["category"] = [
                    MESSAGE_STANDING_CHANGED
                    % {"field": gettext("category"), "value": row.get("人员类别")}
                ]
        number = normalise_id_number(str(row.get("身份证号码") or ""))
        if number in getattr(self, "_duplicates", {}):
            errors.setdefault("id_number", []).append(
                MESSAGE_DUPLICATE_IN_FILE
                % {"rows": "、".join(str(n) for n in self._duplicates[number])}
            )
        instance._imported_new = new
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As import-export validates, with each error under its Chinese column header."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            headers = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
            raise ValidationError(
                {headers.get(key, key): value for key, value in error.message_dict.items()}
            ) from error

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = gettext("imported from a spreadsheet")

    def after_save_instance(self, instance, row, **kwargs):
        if not getattr(instance, "_imported_new", False):
            return
        by = kwargs.get("user", self.user)
        by = by if getattr(by, "pk", None) else None
        MemberEvent.objects.create(
            member=instance,
            kind=MemberEvent.Kind.JOINED,
            occurred_on=instance.joined_on,
            to_organisation=instance.organisation,
            recorded_by=by,
            note=gettext("imported from a spreadsheet"),
        )
        if instance.confirmed_on:
            MemberEvent.objects.create(
                member=instance,
                kind=MemberEvent.Kind.CONFIRMED,
                occurred_on=instance.confirmed_on,
                recorded_by=by,
            )

    # --- export ---------------------------------------------------------------------------

    @property
    def unmasked(self):
        return self.user is None or self.user.has_perm("members.view_personal_data")

    def dehydrate_serial(self, member):
        return next(self._serials)

    def dehydrate_id_number(self, member):
        return member.id_number if self.unmasked else mask_id_number(member.id_number)

    def dehydrate_phone(self, member):
        return member.phone if self.unmasked else mask_phone(member.phone)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation")

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))
