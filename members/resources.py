"""Members in and out of Excel, with the Chinese column headers the branches' rosters use.

Rows are matched on the ID number: importing the same file twice changes nothing, importing an
edited file updates the members it names. Every row is validated as a form would be (the model's
`full_clean`), a secretary's row naming an organisation that is not theirs is refused, and if
any row is wrong nothing is written (the admin passes `rollback_on_validation_errors`).
Changes of standing (organisation, category, leaving) are refused here: they are events,
recorded through members.services. Exports mask ID numbers and phones unless the user may see
them, and neutralise text that a spreadsheet would run as a formula.

Imports are written in bulk (a roster of 10,000 members takes seconds, docs/performance.md): the
members named by the file are read in one query, rows are validated without a query each, and
every batch of new or changed members is written with its history rows (and the new members'
entry events) in a few queries, whatever the number of rows.
"""

import datetime
import itertools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.instance_loaders import CachedInstanceLoader

from branches.models import Organisation
from core.widgets import ChoiceWidget, DateWidget, PortalResource, TextWidget, chinese, text_of
from core.workbook import mask_phone
from ops import cache as portal_cache

from . import services
from .choices import EDUCATION_SPELLINGS, ETHNICITY_SHORT_FORMS, Education, Ethnicity
from .idnumbers import mask_id_number, normalise_id_number
from .models import Member

MESSAGE_NO_ORGANISATION = _("No Party organisation is named or coded “%(value)s”.")
MESSAGE_NOT_YOUR_ORGANISATION = _("You may only import members of your own organisations.")
MESSAGE_STANDING_CHANGED = _(
    "The %(field)s differs from the register (%(value)s); record this change on the member's "
    "page (“record a change of standing”), not by import."
)
MESSAGE_DUPLICATE_IN_FILE = _("This ID number is on several rows of the file: %(rows)s.")
MESSAGE_REGISTER_CHANGED = _(
    "Members of this file were registered by someone else while it was being imported; nothing "
    "was written. Upload the file again: those members will be matched by their ID numbers."
)
MESSAGE_LEFT = _("This member has left the roster and cannot be updated by import.")


class OrganisationWidget(widgets.Widget):
    """An organisation by its name, short name or code; all read in one query per import."""

    def __init__(self):
        super().__init__()
        self._by_key = None

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
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


class IDNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_id_number(super().clean(value, row, **kwargs))


EMPLOYMENT_ALIASES = {
    Member.Employment.RETIRED_PRE_1949: ["离休", "离休干部", "离休人员", "已离休", "离"],
    Member.Employment.RETIRED: ["退休", "退休干部", "退休人员", "已退休", "退", "退职"],
    Member.Employment.IN_SERVICE: ["在职", "在职干部", "在职人员", "在岗", "在编", "在"],
}
GENDER_ALIASES = {Member.Gender.MALE: ["男性"], Member.Gender.FEMALE: ["女性"]}
CATEGORY_ALIASES = {
    Member.Category.FULL: ["正式", "党员", "中共党员", "中国共产党党员", "正式党员"],
    Member.Category.PROBATIONARY: ["预备", "中共预备党员", "预备期", "预备党员"],
}
# Each nationality also without 族 and by its GB/T 3304 code without the leading zero.
ETHNICITY_ALIASES = {
    value: [
        chinese(label).removesuffix("族"),
        str(int(value)),
        *ETHNICITY_SHORT_FORMS.get(value, []),
    ]
    for value, label in Ethnicity.choices
}


class MemberResource(PortalResource):
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
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=DateWidget())
    id_number = fields.Field(
        attribute="id_number", column_name="身份证号码", widget=IDNumberWidget()
    )
    education = fields.Field(
        attribute="education",
        column_name="学历",
        widget=ChoiceWidget(Education.choices, EDUCATION_SPELLINGS, blank=True),
    )
    joined_on = fields.Field(attribute="joined_on", column_name="入党时间", widget=DateWidget())
    confirmed_on = fields.Field(
        attribute="confirmed_on", column_name="转正时间", widget=DateWidget()
    )
    category = fields.Field(
        attribute="category",
        column_name="人员类别",
        widget=ChoiceWidget(Member.Category.choices, CATEGORY_ALIASES),
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
        # The existing members of the file's ID numbers in one query, not one per row.
        instance_loader_class = CachedInstanceLoader
        # Rows are collected and written a batch at a time (bulk_create and bulk_update below).
        use_bulk = True
        batch_size = 1000

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

    def get_queryset(self):
        # The preview's diff and the standing checks read each member's organisation.
        return Member.objects.select_related("organisation")

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user", self.user)
        self._written = False
        rows_by_number = {}
        column = self.fields["id_number"]
        if dataset.headers and column.column_name in dataset.headers:
            for row_number, value in enumerate(dataset[column.column_name], start=1):
                number = column.widget.clean(value)
                rows_by_number.setdefault(number, []).append(row_number)
        # The same person twice in one file: neither row is taken, the user decides. With the
        # instance loader matching the register, this is all the ID number's uniqueness needs.
        self._duplicates = {n: rows for n, rows in rows_by_number.items() if n and len(rows) > 1}

    def before_import_row(self, row, **kwargs):
        # The preview shows the row as read: empty cells as blanks, date cells as dates.
        for key, value in row.items():
            if value is None:
                row[key] = ""
            elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
                row[key] = value.date()

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        # A member of another organisation is not the user's to see, nor whether the number is
        # registered: the row is read as a new member, refused as one naming an organisation
        # that is not theirs (import_instance), with the same message and the row's other errors.
        self._registered_elsewhere = (
            instance is not None and instance.organisation_id not in self._allowed_organisations()
        )
        return None if self._registered_elsewhere else instance

    def import_instance(self, instance, row, **kwargs):
        new = instance.pk is None
        before = None
        if not new:
            before = (instance.organisation_id, instance.category, instance.status)
        columns = self._updatable_columns()
        loaded = {name: getattr(instance, attname) for name, attname in columns.items()}
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # What bulk_update writes: the cells this row changes, not every column of the row.
        instance._imported_changes = {
            name for name, attname in columns.items() if getattr(instance, attname) != loaded[name]
        }
        organisation_id = instance.__dict__.get("organisation_id")
        if "organisation" not in errors and (
            organisation_id not in self._allowed_organisations()
            or getattr(self, "_registered_elsewhere", False)
        ):
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
        number = self.fields["id_number"].widget.clean(row.get("身份证号码"))
        if number in getattr(self, "_duplicates", {}):
            errors.setdefault("id_number", []).append(
                MESSAGE_DUPLICATE_IN_FILE
                % {"rows": "、".join(str(n) for n in self._duplicates[number])}
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's `full_clean` without a query per row, each error under its Chinese
        column header.

        Left out: the ID number's uniqueness (the instance loader finds the registered member,
        before_import the file's duplicates), the organisation's existence (its widget read it
        from the database) and the database check that Member.clean repeats. The database's
        own constraints still hold: a violation fails the batch, and the import writes nothing.
        """
        errors = dict(import_validation_errors or {})
        exclude = list(errors)
        if instance.organisation_id is not None:
            exclude.append("organisation")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            headers = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
            raise ValidationError(
                {
                    headers.get(key, key): value
                    for key, value in ValidationError(errors).message_dict.items()
                }
            )

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = gettext("imported from a spreadsheet")

    def _recorded_by(self):
        return self.user if getattr(self.user, "pk", None) else None

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """New members with their history rows and entry events, a batch in a few queries.

        As import-export does, a preview writes too (inside the transaction it rolls back), so
        that the database's constraints are checked before the user confirms."""
        if not self.create_instances or not (using_transactions or not dry_run):
            return
        try:
            # The service's own savepoint is the batch's: a refused batch writes nothing.
            services.member_create_many(
                members=self.create_instances,
                by=self._recorded_by(),
                note=gettext("imported from a spreadsheet"),
                batch_size=self._meta.batch_size,
            )
            self._written = True
        except IntegrityError as error:
            if "id_number" not in str(error):
                self.handle_import_error(result, error, raise_errors)
                return
            # The lookup said these ID numbers were new, and someone registered one since (an
            # import or an edit at the same moment): the database's unique constraint refused it.
            conflict = ValueError(gettext(MESSAGE_REGISTER_CHANGED))
            conflict.__cause__ = error
            self.handle_import_error(result, conflict, raise_errors)
        except Exception as error:  # reported as import-export reports a failed batch
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Changed members with their history rows, a batch in a few queries.

        One UPDATE per column that changed in the batch, over the members whose cell changed:
        Django builds a CASE branch per member and column it is given, and an edited file
        changes a column or two, not all fourteen."""
        if not self.update_instances or not (using_transactions or not dry_run):
            return
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                for name in self._updatable_columns():
                    changed = [m for m in self.update_instances if name in m._imported_changes]
                    if changed:
                        Member.objects.bulk_update(
                            changed, [name], batch_size=self._meta.batch_size
                        )
                Member.history.bulk_history_create(
                    self.update_instances,
                    batch_size=self._meta.batch_size,
                    update=True,
                    default_user=self._recorded_by(),
                    default_change_reason=gettext("imported from a spreadsheet"),
                )
            self._written = True
        except Exception as error:  # reported as import-export reports a failed batch
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()

    def _updatable_columns(self):
        """The model fields an import may change, by name, with their attribute names."""
        if not hasattr(self, "_columns"):
            self._columns = {
                field.attribute: Member._meta.get_field(field.attribute).attname
                for field in self.get_import_fields()
                if field.attribute and not field.readonly and field.attribute != "id_number"
            }
        return self._columns

    def get_bulk_update_fields(self):
        return list(self._updatable_columns())

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._written and not kwargs.get("dry_run"):
            # Bulk writes send no post_save: the cached public pages are told once, after commit.
            transaction.on_commit(
                lambda: portal_cache.bump("members"), using=self.get_db_connection_name()
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
