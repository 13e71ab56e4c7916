"""Visits in a spreadsheet with the Chinese headers of the bases' paper registers.

An import is all or nothing (IMPORT_EXPORT_USE_TRANSACTIONS and the admin's confirm step
refuse a file with any bad row), each row validated by the model; a base administrator's
file may name only their own bases. Exported text that could run as a formula is defused.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from core.widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    MultipleChoiceWidget,
    PortalResource,
    TextWidget,
    is_blank,
)
from exhibitions.models import Activity, EducationBase

from . import services
from .models import Visit

MESSAGE_UNKNOWN_BASE = _("No education base is called “%(name)s”.")
MESSAGE_BASE_NOT_YOURS = _("You may import visits of your own bases only, not of “%(name)s”.")
MESSAGE_UNKNOWN_RECORD = _(
    "There is no visit numbered %(number)s among yours; leave the number empty for a new visit."
)
MESSAGE_MEETING_VISIT = _("This visit is counted from a meeting; change the meeting instead.")


class BaseWidget(widgets.CachedForeignKeyWidget):
    """A base by its name, looked up once per import (not once per row)."""

    def __init__(self):
        super().__init__(EducationBase, field="name")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except EducationBase.DoesNotExist:
            raise ValueError(MESSAGE_UNKNOWN_BASE % {"name": value}) from None


class ActivitiesWidget(widgets.ManyToManyWidget):
    """Activities by their Chinese names (or codes), separated by 、 , or ;. A ManyToManyWidget,
    which is how import-export knows to `set()` them; the cell is read by the core widget."""

    def __init__(self):
        super().__init__(Activity, field="code")
        self.codes = MultipleChoiceWidget(Activity.Code.choices)

    def clean(self, value, row=None, **kwargs):
        return Activity.objects.filter(code__in=self.codes.clean(value, row, **kwargs))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.codes.render([activity.code for activity in value.all()])


class VisitResource(PortalResource):
    id = fields.Field(attribute="id", column_name=_("record number"), widget=IntegerWidget())
    base = fields.Field(attribute="base", column_name=_("education base"), widget=BaseWidget())
    visited_on = fields.Field(
        attribute="visited_on",
        column_name=pgettext_lazy("visit to a base", "visited on"),
        widget=DateWidget(),
    )
    group_name = fields.Field(
        attribute="group_name", column_name=_("visiting group"), widget=TextWidget()
    )
    category = fields.Field(
        attribute="category",
        column_name=_("visitor category"),
        widget=ChoiceWidget(Visit.Category.choices),
    )
    headcount = fields.Field(
        attribute="headcount", column_name=_("headcount"), widget=IntegerWidget()
    )
    activities = fields.Field(
        attribute="activities", column_name=_("activities"), widget=ActivitiesWidget()
    )
    guide = fields.Field(attribute="guide", column_name=_("guide"), widget=TextWidget())
    notes = fields.Field(attribute="notes", column_name=_("notes"), widget=TextWidget())
    source = fields.Field(
        attribute="source",
        column_name=_("source"),
        widget=ChoiceWidget(Visit.Source.choices),
        readonly=True,
    )

    class Meta:
        model = Visit
        fields = [
            "id",
            "base",
            "visited_on",
            "group_name",
            "category",
            "headcount",
            "activities",
            "guide",
            "notes",
            "source",
        ]
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self._allowed = None

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user") or self.user
        self._allowed = None
        super().before_import(dataset, **kwargs)

    def _allowed_bases(self):
        if self._allowed is None:
            scope = EducationBase.objects.all()
            if self.user is not None:
                scope = EducationBase.objects.for_user(self.user)
            self._allowed = set(scope.values_list("pk", flat=True))
        return self._allowed

    def get_queryset(self):
        if self.user is not None:
            return Visit.objects.for_user(self.user)
        return Visit.objects.all()

    def init_instance(self, row=None):
        return Visit(source=Visit.Source.IMPORT)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.base_id and instance.base_id not in self._allowed_bases():
            errors.setdefault("base", []).append(
                gettext(MESSAGE_BASE_NOT_YOURS) % {"name": instance.base.name}
            )
        if instance.source == Visit.Source.MEETING:
            errors.setdefault("group_name", []).append(gettext(MESSAGE_MEETING_VISIT))
        if instance.base_id and instance.visited_on and instance.group_name:
            try:
                services.check_not_counted(
                    base_id=instance.base_id,
                    on=instance.visited_on,
                    group_name=instance.group_name,
                    exclude=instance,
                )
            except ValidationError as error:
                errors.setdefault("group_name", []).extend(error.messages)
        if instance._state.adding and instance.pk is not None:
            # A number not among the user's visits: never let it overwrite a row out of scope.
            errors.setdefault("id", []).append(
                gettext(MESSAGE_UNKNOWN_RECORD) % {"number": instance.pk}
            )
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        # A booked group's visit typed into the register: it completes the booking.
        services.visit_complete_booking(visit=instance)
