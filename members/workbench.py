"""members/' part of the workbench (core.workbench): probations, dues, birthdays, care visits."""

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organisation
from core import workbench
from members import selectors
from members.models import Member


@workbench.items
def member_todo(request, today):
    user = request.user
    if not user.has_perm("members.view_member"):
        return []
    members = Member.objects.for_user(user)
    reminders = reverse("admin:branches_organisation_reminders_all")
    result = [
        workbench.Item(
            _("Probations ending within 30 days or over"),
            selectors.probations_ending(members, today).count(),
            f"{reminders}#probations-ending",
        ),
        workbench.Item(
            _("Birthdays this month"),
            selectors.birthdays_this_month(members, today).count(),
            f"{reminders}#birthdays",
        ),
        workbench.Item(
            _("Care visits due"),
            len(selectors.care_visits_due(members, today)),
            reverse("admin:members_member_care"),
        ),
    ]
    if user.has_perm("members.view_duespayment"):
        organisations = list(Organisation.objects.for_user(user).values_list("pk", flat=True))
        result.append(
            workbench.Item(
                _("Members with dues in arrears"),
                len(selectors.dues_in_arrears(organisations, today.year, today)),
                reverse("admin:members_duespayment_register"),
            )
        )
    return result


@workbench.shortcuts
def member_shortcuts(request):
    result = []
    if request.user.has_perm("members.view_member"):
        result.append(workbench.Shortcut(_("Care page"), reverse("admin:members_member_care")))
    if request.user.has_perm("members.view_duespayment"):
        result.append(
            workbench.Shortcut(_("Dues register"), reverse("admin:members_duespayment_register"))
        )
    return result
