"""Reads for the public pages: each a fixed number of queries, whatever the data size.

Meetings held at a base, its visits and its displays are read through the base's reverse
relations (`base.meetings`, `base.visits`, `base.custody_events`): exhibitions imports no app
above it (docs/CONTRIBUTING.md).
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Sum
from django.db.models.functions import ExtractYear

from redhistory.models import Artefact

from .models import EducationBase, ExhibitionSection

FEATURED_COUNT = 6
MEETINGS_SHOWN = 10


def public_displays(*, base, on=None):
    """The public artefacts on display at a base now, with their artefact (one query)."""
    return (
        base.custody_events.displays(on=on)
        .filter(artefact__in=Artefact.objects.public())
        .select_related("artefact")
        .order_by("section_id", "artefact__accession_number")
    )


def featured_bases():
    """Up to six public bases for the home page: those marked featured, else the first ones."""
    bases = EducationBase.objects.public().order_by("-featured", "kind", "name")
    return list(bases[:FEATURED_COUNT])


def base_list(*, kind="", county=""):
    """Public bases filtered by kind and county, the counts for each filter choice, and the total.

    The counts of kinds honour the county chosen and the counts of counties the kind chosen,
    so every number says how many cards that choice would show. One query for the counts.
    """
    public = EducationBase.objects.public()
    bases = public
    if kind:
        bases = bases.filter(kind=kind)
    if county:
        bases = bases.filter(county=county)
    kind_counts, county_counts, total = {}, {}, 0
    for base_kind, base_county, n in (
        public.order_by().values_list("kind", "county").annotate(n=Count("pk"))
    ):
        total += n
        if not county or base_county == county:
            kind_counts[base_kind] = kind_counts.get(base_kind, 0) + n
        if not kind or base_kind == kind:
            county_counts[base_county] = county_counts.get(base_county, 0) + n
    return bases.order_by("kind", "name"), kind_counts, county_counts, total


def base_detail(*, slug):
    """The public base with what its page shows prefetched; raises DoesNotExist if not public."""
    sections = ExhibitionSection.objects.order_by("order", "pk").prefetch_related("images")
    public = EducationBase.objects.public()
    return (
        public.select_related("parent")
        .annotate(parent_is_public=Exists(public.filter(pk=OuterRef("parent_id"))))
        .prefetch_related(
            "activities",
            "images",
            "milestones",
            Prefetch("sections", queryset=sections),
            Prefetch("sub_bases", queryset=EducationBase.objects.public().order_by("name")),
        )
        .get(slug=slug)
    )


def base_visitor_figures(*, base):
    """(total visitors, [(year, visitors), …] oldest first) for one base, in one query."""
    by_year = list(
        base.visits.annotate(year=ExtractYear("visited_on"))
        .order_by("year")
        .values_list("year")
        .annotate(total=Sum("headcount"))
    )
    return sum(total for _year, total in by_year), by_year


def base_meetings(*, base, limit=MEETINGS_SHOWN):
    """Organisational-life meetings held at a base: topics and dates only, newest first."""
    # "base" too: the related manager sets each meeting's base, which needs its column.
    return list(base.meetings.only("pk", "topic", "held_on", "kind", "base")[:limit])


def base_map():
    """Every base for the map of Jinzhong, the ones still being built included (one query):
    dicts with name, county label, WGS-84 point (or None), public URL (or "") and whether open."""
    public = EducationBase.objects.public().filter(pk=OuterRef("pk"))
    bases = (
        EducationBase.objects.only("pk", "name", "slug", "county", "kind", "latitude", "longitude")
        .annotate(is_open=Exists(public))
        .order_by("county", "name")
    )
    return [
        {
            "name": base.name,
            "county": str(base.get_county_display()),
            "kind": str(base.get_kind_display()),
            "lat": float(base.latitude) if base.latitude is not None else None,
            "lng": float(base.longitude) if base.longitude is not None else None,
            "url": base.get_absolute_url() if base.is_open else "",
            "open": base.is_open,
        }
        for base in bases
    ]
