"""reports/' part of the workbench (core.workbench): the yearly report."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core import workbench
from reports.views import may_build_reports


@workbench.shortcuts
def report_shortcuts(request):
    if not may_build_reports(request.user):
        return []
    return [workbench.Shortcut(_("Yearly report"), reverse("reports:index"))]
