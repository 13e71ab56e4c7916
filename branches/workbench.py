"""branches/' part of the workbench (core.workbench): elections due and meetings to hold."""

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organisation, Term
from branches.selectors import missing_this_quarter
from core import workbench


@workbench.items
def organisation_todo(request, today):
    user = request.user
    result = []
    if user.has_perm("branches.view_term"):
        terms = Term.objects.for_user(user)
        changelist = reverse("admin:branches_term_changelist")
        result += [
            workbench.Item(
                _("Elections overdue"),
                terms.overdue(today).count(),
                f"{changelist}?election=overdue",
            ),
            workbench.Item(
                _("Elections due within six months"),
                terms.due_within(today).count(),
                f"{changelist}?election=due",
            ),
        ]
    if user.has_perm("branches.view_meeting") and user.has_perm("branches.view_organisation"):
        organisations = list(Organisation.objects.for_user(user).order_by("code"))
        missing = missing_this_quarter(organisations=organisations, today=today)
        result.append(
            workbench.Item(
                _("Organisations with meetings still to hold this quarter"),
                len(missing),
                reverse("admin:branches_meeting_yearly"),
            )
        )
    return result


@workbench.shortcuts
def organisation_shortcuts(request):
    result = []
    if request.user.has_perm("branches.view_organisation"):
        result.append(
            workbench.Shortcut(
                _("All reminders"), reverse("admin:branches_organisation_reminders_all")
            )
        )
    if request.user.has_perm("branches.view_meeting"):
        result.append(
            workbench.Shortcut(
                _("Organisational life this year"), reverse("admin:branches_meeting_yearly")
            )
        )
    return result
