import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation

from . import services
from .models import DuesPayment, Member, MemberEvent

ENTRY_CHOICES = [
    (MemberEvent.Kind.JOINED, _("joined the Party in this organisation")),
    (MemberEvent.Kind.TRANSFERRED_IN, _("transferred in from elsewhere")),
]
CHANGE_CHOICES = [
    (MemberEvent.Kind.CONFIRMED, MemberEvent.Kind.CONFIRMED.label),
    (MemberEvent.Kind.MOVED, MemberEvent.Kind.MOVED.label),
    (MemberEvent.Kind.TRANSFERRED_OUT, MemberEvent.Kind.TRANSFERRED_OUT.label),
    (MemberEvent.Kind.DECEASED, MemberEvent.Kind.DECEASED.label),
]

RETURN_LABEL = _("transferred back in")
MESSAGE_ENTERED_ON_REQUIRED = _("Enter the date of the transfer.")
MESSAGE_TO_ORGANISATION_REQUIRED = _("Choose the organisation the member moves to.")


class MemberAddForm(forms.ModelForm):
    """The member form on adding: it also asks how the member came onto the roster."""

    entry = forms.ChoiceField(
        label=_("came onto the roster by"), choices=ENTRY_CHOICES, initial=MemberEvent.Kind.JOINED
    )
    entered_on = forms.DateField(
        label=_("transferred in on"),
        required=False,
        help_text=_("Only for a transfer: the date the organisation received the member."),
    )
    came_from = forms.CharField(label=_("transferred in from"), required=False, max_length=200)

    class Meta:
        model = Member
        # The admin passes its fieldsets' fields; these are the editable ones.
        fields = [
            "name", "gender", "ethnicity", "birth_date", "id_number", "native_place", "photo",
            "organisation", "category", "joined_on", "confirmed_on", "employment",
            "former_unit_post", "cadre_level", "education", "dues_base", "phone", "address",
            "guardian", "guardian_phone", "disabled", "speech_loss", "memory_loss", "care_level",
            "notes",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("entry") == MemberEvent.Kind.TRANSFERRED_IN and not cleaned.get(
            "entered_on"
        ):
            self.add_error("entered_on", MESSAGE_ENTERED_ON_REQUIRED)
        return cleaned


class StandingChangeForm(forms.Form):
    """A change of a member's standing (转正, 调动, 转出, 去世), recorded as an event."""

    kind = forms.ChoiceField(label=_("change"), choices=CHANGE_CHOICES)
    on = forms.DateField(label=_("date"), initial=datetime.date.today)
    to_organisation = forms.ModelChoiceField(
        label=_("to organisation"), queryset=Organisation.objects.none(), required=False
    )
    place = forms.CharField(
        label=_("transferred to"),
        required=False,
        max_length=200,
        help_text=_("For a transfer out: the organisation that receives the member."),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_user(user)
        if member.status == member.Status.TRANSFERRED_OUT:
            # Back under the same record: into any of the user's organisations, the last first.
            self.fields["kind"].choices = [(MemberEvent.Kind.TRANSFERRED_IN, RETURN_LABEL)]
            self.fields["to_organisation"].queryset = organisations
            self.fields["to_organisation"].initial = member.organisation_id
            self.fields["place"].label = _("transferred from")
            self.fields["place"].help_text = _(
                "The organisation the member's relation comes back from."
            )
        else:
            self.fields["to_organisation"].queryset = organisations.exclude(
                pk=member.organisation_id
            )

    def clean(self):
        cleaned = super().clean()
        needs_organisation = (MemberEvent.Kind.MOVED, MemberEvent.Kind.TRANSFERRED_IN)
        if cleaned.get("kind") in needs_organisation and not cleaned.get("to_organisation"):
            self.add_error("to_organisation", MESSAGE_TO_ORGANISATION_REQUIRED)
        return cleaned


class DuesRegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Party organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("all my organisations"),
    )
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)


class DuesEntryForm(forms.Form):
    """The day the ticked months of the dues register were paid."""

    paid_on = forms.DateField(label=_("paid on"))

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > datetime.date.today():
            raise ValidationError(_("The payment date cannot be in the future."))
        return paid_on


class DuesPaymentForm(forms.ModelForm):
    """A month's dues as the secretary enters them; members.services.dues_record takes the base
    and rate from the member's record and the rules, and computes the amount unless the
    secretary enters what was actually paid."""

    class Meta:
        model = DuesPayment
        fields = ["member", "year", "month", "paid_on", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "amount" in self.fields:
            self.fields["amount"].required = False
            self.fields["amount"].help_text = _(
                "Left blank, the amount is computed from the member's dues base and the rules."
            )

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        year, month = cleaned.get("year"), cleaned.get("month")
        if member is not None and year and month and not self.instance.pk:
            try:
                services.dues_check(member=member, year=year, month=month)
            except ValidationError as error:
                self.add_error("member", error)
        return cleaned


class VoidChangeForm(forms.Form):
    """Why the member's latest change of standing was recorded wrongly."""

    reason = forms.CharField(label=_("reason for voiding"), max_length=200)
