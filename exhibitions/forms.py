from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redhistory.models import Artefact

MESSAGE_NO_SUCH_ARTEFACT = _("No artefact has this accession number.")


class DisplayArtefactForm(forms.Form):
    """Puts an artefact, named by its accession number, on display in a section."""

    accession_number = forms.CharField(label=_("accession number"), max_length=20)
    on = forms.DateField(
        label=_("on display from"),
        initial=timezone.localdate,
        # An <input type="date"> shows only an ISO value; a localised one leaves it empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_accession_number(self):
        number = self.cleaned_data["accession_number"].strip()
        artefact = Artefact.objects.filter(accession_number__iexact=number).first()
        if artefact is None:
            raise ValidationError(MESSAGE_NO_SUCH_ARTEFACT, code="unknown")
        self.artefact = artefact
        return number
