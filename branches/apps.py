from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Party organisations")
    # The admin's sidebar and index in the order the bureau works (core.admin_site).
    admin_order = [
        "organisation",
        "meeting",
        "term",
        "attendanceexemption",
        "honour",
        "activityroom",
        "unit",
    ]
