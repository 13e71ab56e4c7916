"""visits/' part of the workbench (core.workbench): bookings to decide, statistics, QR posters."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core import workbench
from exhibitions.models import EducationBase
from visits import selectors
from visits.models import Booking


@workbench.items
def booking_todo(request, today):
    if not request.user.has_perm("visits.view_booking"):
        return []
    pending = Booking.objects.for_user(request.user).filter(status=Booking.Status.PENDING)
    return [
        workbench.Item(
            _("Bookings awaiting approval"),
            pending.count(),
            reverse("admin:visits_booking_changelist") + f"?status__exact={Booking.Status.PENDING}",
        ),
        # Their day has passed with neither visit nor no-show: the day sheet lists them.
        workbench.Item(
            _("Bookings whose day has passed, still to mark"),
            selectors.unmarked_bookings(request.user, today=today).count(),
            reverse("visits:day-sheet"),
        ),
    ]


@workbench.shortcuts
def visit_shortcuts(request):
    user = request.user
    result = []
    if user.has_perm("visits.view_statistics"):
        result.append(workbench.Shortcut(_("Visitor statistics"), reverse("visits:statistics")))
    if user.has_perm("visits.view_booking"):
        result.append(workbench.Shortcut(_("Day sheet"), reverse("visits:day-sheet")))
    if user.is_staff and user.has_perm("exhibitions.view_educationbase"):
        # A base administrator keeps one or two bases: a poster link for each; others see the list.
        bases = list(EducationBase.objects.for_user(user).order_by("name")[:3])
        if len(bases) <= 2:
            result += [
                workbench.Shortcut(
                    _("QR poster: %(base)s") % {"base": base.name},
                    reverse("visits:poster", args=[base.slug]),
                )
                for base in bases
            ]
    return result
