"""redhistory/' part of the workbench (core.workbench): loans, embargoes, the rescue queue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core import workbench
from redhistory.models import Artefact, OralHistory, RescueCandidate


@workbench.items
def collection_todo(request, today):
    user = request.user
    result = []
    if user.has_perm("redhistory.view_artefact"):
        changelist = reverse("admin:redhistory_artefact_changelist")
        result += [
            workbench.Item(
                _("Loans overdue"),
                Artefact.objects.loans_overdue(today).count(),
                f"{changelist}?loan=overdue",
            ),
            workbench.Item(
                _("Loans due back within 30 days"),
                Artefact.objects.loans_due(today).count(),
                f"{changelist}?loan=due",
            ),
        ]
    if user.has_perm("redhistory.view_oralhistory"):
        result.append(
            workbench.Item(
                _("Embargoes ended: review for publication"),
                OralHistory.objects.embargo_ended(today).count(),
                reverse("admin:redhistory_oralhistory_changelist") + "?embargo=ended",
            )
        )
    if user.has_perm("redhistory.view_rescuecandidate") or user.has_perm("redhistory.view_veteran"):
        queue = RescueCandidate.objects.rescue_queue(today).filter(has_oral_history=False)
        top = queue.order_by("-rescue_score", "birth_year", "pk").first()
        if top is not None:
            result.append(
                workbench.Item(
                    _("Rescue queue: veterans not yet recorded, first %(name)s")
                    % {"name": top.name},
                    queue.count(),
                    reverse("admin:redhistory_rescuecandidate_changelist"),
                )
            )
    return result
