from django.http import Http404
from django.shortcuts import render

from core.counties import County
from ops.cache import public_page
from ops.media import protected_file_response

from . import selectors
from .models import ConstructionMilestone, EducationBase
from .storage import document_storage


@public_page(params=["kind", "county"])
def base_list(request):
    """The public bases, filterable by `kind` and `county`. Template: `exhibitions/base_list.html`
    with `bases`, `kinds` and `counties` ((value, label, count, selected) tuples)."""
    kind = request.GET.get("kind", "")
    county = request.GET.get("county", "")
    if kind not in EducationBase.Kind.values:
        kind = ""
    if county not in County.values:
        county = ""
    bases, kind_counts, county_counts, total = selectors.base_list(kind=kind, county=county)
    context = {
        "bases": bases,
        "kind": kind,
        "county": county,
        "kinds": [
            (value, label, kind_counts.get(value, 0), value == kind)
            for value, label in EducationBase.Kind.choices
        ],
        "counties": [
            (value, label, county_counts.get(value, 0), value == county)
            for value, label in County.choices
        ],
        "total": total,
        "filter_labels": [
            label
            for value, label in [
                (kind, EducationBase.Kind(kind).label if kind else ""),
                (county, County(county).label if county else ""),
            ]
            if value
        ],
    }
    return render(request, "exhibitions/base_list.html", context)


@public_page()
def base_detail(request, slug):
    """A public education base. Template: `exhibitions/base_detail.html` with `base`,
    `sections` ((section, displays) pairs in order), `other_displays`, `visitors_total`,
    `visitors_by_year` and `meetings`."""
    try:
        base = selectors.base_detail(slug=slug)
    except EducationBase.DoesNotExist:
        raise Http404 from None
    displays = list(selectors.public_displays(base=base))
    section_ids = {section.pk for section in base.sections.all()}
    sections = [
        (section, [d for d in displays if d.section_id == section.pk])
        for section in base.sections.all()
    ]
    total, by_year = selectors.base_visitor_figures(base=base)
    context = {
        "base": base,
        "sections": sections,
        "other_displays": [d for d in displays if d.section_id not in section_ids],
        "visitors_total": total,
        "visitors_by_year": by_year,
        "meetings": selectors.base_meetings(base=base),
        "gallery": list(base.images.all()),
    }
    return render(request, "exhibitions/base_detail.html", context)


def milestone_document(request, name):
    """A construction-milestone document, to signed-in staff who may view the milestones of its
    base (their own bases for a base administrator); a 404 for everyone else, so the public
    cannot even learn that a name exists. No template: the file, through nginx in production."""
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        raise Http404
    if not user.has_perm("exhibitions.view_constructionmilestone"):
        raise Http404
    bases = EducationBase.objects.for_user(user)
    if not ConstructionMilestone.objects.filter(base__in=bases, document=name).exists():
        raise Http404
    storage = document_storage()
    if not storage.exists(name):
        raise Http404
    return protected_file_response(storage, name)
