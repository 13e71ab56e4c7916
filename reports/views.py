"""Staff pages of the yearly report: pick the years, follow the build, download the file.

Managers and bureau staff build the whole report; a branch secretary builds their own
organisations' part (see `sheets.SHEETS`); base administrators and anonymous visitors are refused.
Each job and its file belong to the user who asked for it: anyone else gets a 404.
"""

from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.admin_site import admin_page_context
from core.roles import BRANCH_SECRETARY, user_has_role, user_sees_all_organisations
from exhibitions.selectors import base_map, featured_bases
from ops.cache import public_page
from redhistory.selectors import newest_artefacts, newest_oral_histories

from . import sheets, storage
from .selectors import HOME_ARTEFACTS, HOME_ORAL_HISTORIES, key_figures
from .tasks import build_yearly_report


@public_page()
def home(request):
    """The public home page: it reads every app, so it lives with the cross-app figures.
    Template: `reports/home.html` with `figures`, `featured_bases`, `oral_histories`,
    `artefacts` and `bases_map` (every base, for the map and its list)."""
    bases_map = base_map()
    context = {
        "figures": key_figures(),
        "featured_bases": featured_bases(),
        "oral_histories": newest_oral_histories(limit=HOME_ORAL_HISTORIES),
        "artefacts": newest_artefacts(limit=HOME_ARTEFACTS),
        "bases_map": bases_map,
        "bases_building": sum(1 for base in bases_map if not base["open"]),
    }
    return render(request, "reports/home.html", context)


FIRST_YEAR = 1983  # the bureau's founding year
MAX_SPAN = 10


def may_build_reports(user):
    """Staff and managers (every organisation), or a secretary keeping at least one."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user_sees_all_organisations(user):
        return True
    return user_has_role(user, BRANCH_SECRETARY) and user.secretary_of.exists()


def report_access_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not may_build_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]


class ReportForm(forms.Form):
    start_year = forms.TypedChoiceField(label=_("From year"), coerce=int, choices=year_choices)
    end_year = forms.TypedChoiceField(label=_("To year"), coerce=int, choices=year_choices)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None:
            if end < start:
                raise forms.ValidationError(_("The last year comes before the first year."))
            if end - start >= MAX_SPAN:
                raise forms.ValidationError(
                    _("A report covers at most %(years)s years.") % {"years": MAX_SPAN}
                )
        return cleaned


def owned_job(request, job_id):
    job = storage.read_job(job_id)
    if job is None or job.get("owner") != request.user.pk:
        raise Http404
    return job


@never_cache
@require_http_methods(["GET", "POST"])
@report_access_required
def report_index(request):
    """templates/reports/index.html: the year picker and the user's recent reports."""
    last_year = timezone.localdate().year - 1
    form = ReportForm(
        request.POST or None, initial={"start_year": last_year, "end_year": last_year}
    )
    if request.method == "POST" and form.is_valid():
        job = storage.create_job(
            owner_id=request.user.pk,
            start_year=form.cleaned_data["start_year"],
            end_year=form.cleaned_data["end_year"],
        )
        build_yearly_report.enqueue(job["id"])
        return redirect("reports:job", job_id=job["id"])
    return render(
        request,
        "reports/index.html",
        {
            **admin_page_context(request, _("Yearly report")),
            "form": form,
            "jobs": storage.jobs_of(request.user.pk),
            "restricted": not user_sees_all_organisations(request.user),
        },
    )


@never_cache
@require_GET
@report_access_required
def report_job(request, job_id):
    """templates/reports/job.html: progress of one build, polled by static/reports/report-status.js."""
    context = {**admin_page_context(request, _("Yearly report")), "job": owned_job(request, job_id)}
    return render(request, "reports/job.html", context)


@never_cache
@require_GET
@report_access_required
def report_status(request, job_id):
    job = owned_job(request, job_id)
    ready = job["status"] == storage.DONE and storage.file_path(job).exists()
    return JsonResponse(
        {
            "status": job["status"],
            "done": job["done"],
            "total": job["total"],
            "download_url": reverse("reports:download", args=[job_id]) if ready else None,
        }
    )


@never_cache
@require_GET
@report_access_required
def report_download(request, job_id):
    job = owned_job(request, job_id)
    path = storage.file_path(job)
    if job["status"] != storage.DONE or not path.exists():
        raise Http404
    sheets.record_report_read(request.user)
    years = str(job["start_year"])
    if job["end_year"] != job["start_year"]:
        years += f"-{job['end_year']}"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{years}年度报表.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
