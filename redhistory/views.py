from django.shortcuts import get_object_or_404, render

from .models import Artefact, OralHistory


def artefact_detail(request, accession_number):
    """A public artefact. Template: `redhistory/artefact_detail.html` with `artefact`."""
    artefact = get_object_or_404(Artefact.objects.public(), accession_number=accession_number)
    return render(request, "redhistory/artefact_detail.html", {"artefact": artefact})


def oralhistory_detail(request, pk):
    """A published oral history. Template: `redhistory/oralhistory_detail.html`."""
    story = get_object_or_404(OralHistory.objects.public().select_related("narrator"), pk=pk)
    return render(request, "redhistory/oralhistory_detail.html", {"story": story})
