import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_no_control_characters
from exhibitions.models import Activity

from . import services
from .models import MAX_HEADCOUNT, MESSAGE_BAD_PHONE, Booking, Visit, is_valid_phone
from .services import BOOKING_DAYS_AHEAD, BOOKING_MIN_DAYS_AHEAD

MESSAGE_REQUIRED = _("Please fill this in.")
MESSAGE_RANGE_REVERSED = _("The end date is before the start date.")
MESSAGE_RANGE_TOO_LONG = _("Choose at most %(years)s years at a time.")
MAX_RANGE_YEARS = 20


def _public_field(field):
    """A field of a public form: a Chinese "required" message, Bootstrap's class, and no control
    characters in text (a stored \\x07 once broke every export of visits)."""
    field.error_messages["required"] = MESSAGE_REQUIRED
    if isinstance(field, forms.CharField):
        field.validators.append(validate_no_control_characters)
    widget = field.widget
    if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return field
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs.setdefault("class", css)
    return field


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value and not is_valid_phone(value):
            raise forms.ValidationError(MESSAGE_BAD_PHONE, code="phone")


class BookingForm(forms.Form):
    """The public booking form of one base; the rules on dates and places are the service's."""

    group_name = forms.CharField(label=_("visiting group"), max_length=200)
    contact_name = forms.CharField(label=_("contact person"), max_length=50)
    phone = PhoneField(label=_("contact phone"))
    visit_on = forms.DateField(
        label=_("date of the visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    slot = forms.ChoiceField(label=_("time slot"), choices=Booking.Slot.choices)
    headcount = forms.IntegerField(
        label=_("headcount"),
        min_value=1,
        max_value=MAX_HEADCOUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    category = forms.ChoiceField(label=_("visitor category"), choices=Visit.Category.choices)
    activities = forms.ModelMultipleChoiceField(
        label=_("activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("purpose of the visit"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, base, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self.fields["activities"].queryset = base.activities.all()
        self.fields["headcount"].help_text = _("At most %(capacity)s people in one time slot.") % {
            "capacity": base.capacity_per_slot
        }
        today = timezone.localdate()
        # The date picker offers only the days services.booking_create accepts.
        self.fields["visit_on"].widget.attrs.update(
            min=(today + datetime.timedelta(days=BOOKING_MIN_DAYS_AHEAD)).isoformat(),
            max=(today + datetime.timedelta(days=BOOKING_DAYS_AHEAD)).isoformat(),
        )
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        for field in self.fields.values():
            _public_field(field)
        self.fields["headcount"].error_messages.update(
            invalid=_("Enter the number of people as a whole number."),
            min_value=_("At least one person."),
            max_value=_("At most %(limit_value)s people in one booking."),
        )
        self.fields["visit_on"].error_messages["invalid"] = _(
            "Enter the date as year-month-day, e.g. 2025-05-20."
        )

    def clean(self):
        data = super().clean()
        # The day, closures and places are checked now too, so that every problem is said at
        # once (the service checks them again, with the base locked, when it books).
        if data.get("visit_on") and "visit_on" not in self.errors:
            for error in services.date_errors(self.base, data["visit_on"], timezone.localdate()):
                self.add_error("visit_on", error)
        sent_before = (
            data.get("token") and Booking.objects.filter(idempotency_token=data["token"]).exists()
        )
        if sent_before:
            return data  # the service gives back the booking already made
        if not self.errors.get("visit_on") and data.get("slot") and data.get("headcount"):
            left = services.slot_places_left(base=self.base, on=data["visit_on"], slot=data["slot"])
            if data["headcount"] > left:
                self.add_error(
                    "headcount",
                    forms.ValidationError(services.MESSAGE_SLOT_FULL, params={"left": left}),
                )
        return data


class LookupForm(forms.Form):
    """A booking's code and the phone number it was made with."""

    reference = forms.CharField(label=_("reference code"), max_length=12)
    phone = PhoneField(label=_("contact phone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _public_field(field)


class VisitorCancelForm(forms.Form):
    """Cancels the booking just looked up: `proof` is its reference signed by the lookup, so
    the phone number never goes back into the page."""

    proof = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _public_field(field)


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.group_name}（{obj.get_slot_display()}）"


class CheckInForm(forms.Form):
    """The short form at a base's entrance: the group's booking (picked from today's, or its
    code), or, for a group that did not book, its name and category; then the headcount."""

    booking = BookingChoiceField(
        label=_("our booking for today"),
        queryset=Booking.objects.none(),
        required=False,
        empty_label=_("we did not book, or it is not listed"),
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(
        label=_("reference code"),
        max_length=12,
        required=False,
        help_text=_("From the booking confirmation; leave empty if you picked your booking above."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    group_name = forms.CharField(
        label=_("visiting group"),
        max_length=200,
        required=False,
        help_text=_("Only if you did not book."),
    )
    category = forms.ChoiceField(
        label=_("visitor category"),
        choices=Visit.Category.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    headcount = forms.IntegerField(
        label=_("headcount"),
        min_value=1,
        max_value=MAX_HEADCOUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = bookings
        if not bookings:
            del self.fields["booking"]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        for field in self.fields.values():
            _public_field(field)
        self.fields["headcount"].error_messages.update(
            invalid=_("Enter the number of people as a whole number."),
            min_value=_("At least one person."),
            max_value=_("At most %(limit_value)s people in one record."),
        )

    def clean(self):
        data = super().clean()
        if data.get("booking") or data.get("reference"):
            return data
        # No booking named: the group says who it is, and both answers are needed.
        for name in ("group_name", "category"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, MESSAGE_REQUIRED)
        return data


class RangeForm(forms.Form):
    """A year, or a range of dates, for the statistics pages."""

    start = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = years
        self.fields["year"] = forms.TypedChoiceField(
            label=_("year"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("all years"))] + [(y, str(y)) for y in range(last, first - 1, -1)],
        )
        self.years = years
        for name in self.fields:
            _public_field(self.fields[name])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(MESSAGE_RANGE_REVERSED)
        if start and end and (end - start).days > 366 * MAX_RANGE_YEARS:
            raise forms.ValidationError(MESSAGE_RANGE_TOO_LONG % {"years": MAX_RANGE_YEARS})
        return data

    def range(self):
        """(first day, last day): the dates chosen, else the year, else every year."""
        first, last = self.years
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") or data.get("end"):
            return (
                data.get("start") or datetime.date(first, 1, 1),
                data.get("end") or datetime.date(last, 12, 31),
            )
        if data.get("year"):
            return datetime.date(data["year"], 1, 1), datetime.date(data["year"], 12, 31)
        return datetime.date(first, 1, 1), datetime.date(last, 12, 31)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecordVisitForm(forms.Form):
    headcount = forms.IntegerField(
        label=_("actual headcount"), min_value=1, max_value=MAX_HEADCOUNT
    )
    guide = forms.CharField(label=_("guide"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
