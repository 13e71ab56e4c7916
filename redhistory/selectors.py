"""Reads for the public red-memory column: each a fixed number of queries, whatever the data size.

Every function starts from a `public()` queryset, so nothing unpublished, under embargo, without a
public release, deaccessioned or without consent reaches a page, the feed, the sitemap or search.
Related records are filtered again on their own terms (a public story's artefacts must themselves
be public; a restricted segment never shows).
"""

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from . import search
from .models import (
    Artefact,
    ArtefactImage,
    CustodyEvent,
    MicroFilm,
    OralHistory,
    OralHistoryPhoto,
    Segment,
    Veteran,
    VeteranService,
)

PAGE_SIZE = 12
SEARCH_PAGE_SIZE = 10
INDEX_COUNT = 6
FEED_COUNT = 20


def paginate(queryset, page, per_page=PAGE_SIZE, count=None):
    """A page of results (two queries: the count and the page, or one when `count` is known);
    a bad page number gives the last page."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried
    return paginator.get_page(page)


# Oral histories ---------------------------------------------------------------------------------


def public_oral_histories(*, today=None):
    return OralHistory.objects.public(today=today)


def _with_war(queryset, war):
    served = VeteranService.objects.filter(veteran=OuterRef("narrator_id"), war=war)
    return queryset.filter(Exists(served))


STORY_FILTERS = ["war", "theme", "period", "county"]


def oral_history_list(*, war="", theme="", period="", county="", query="", today=None):
    """Public oral histories filtered and searched, newest first, with the narrator (for cards).

    Returns (queryset, facets, total): facets maps each filter to {value: count} of the stories
    that choice would show with the other filters kept; total is the number of stories listed.
    Two grouped queries give every count, so a search runs three times per page, not six.
    """
    public = public_oral_histories(today=today)
    if query:
        public = search.search_oral_histories(public, query)
    chosen = {"war": war, "theme": theme, "period": period, "county": county}
    fields = ["theme", "period", "narrator__county"]
    # Stories once each (theme, period, county are single-valued) ...
    plain = [
        (dict(zip(STORY_FILTERS[1:], row[:3], strict=True)), row[3])
        for row in public.order_by().values_list(*fields).annotate(n=Count("pk", distinct=True))
    ]
    # ... and once per war their narrator served in (several wars: several rows).
    by_war = [
        (dict(zip(STORY_FILTERS, (row[3], *row[:3]), strict=True)), row[4])
        for row in public.order_by()
        .values_list(*fields, "narrator__services__war")
        .annotate(n=Count("pk", distinct=True))
    ]

    def counts(skip):
        rows = by_war if chosen["war"] or skip == "war" else plain
        tally = {}
        for row, n in rows:
            if all(not chosen[k] or k == skip or row[k] == chosen[k] for k in row):
                key = row.get(skip)
                tally[key] = tally.get(key, 0) + n
        return tally

    facets = {name: counts(name) for name in STORY_FILTERS}
    total = sum(counts(None).values())

    stories = public
    if war:
        stories = _with_war(stories, war)
    if theme:
        stories = stories.filter(theme=theme)
    if period:
        stories = stories.filter(period=period)
    if county:
        stories = stories.filter(narrator__county=county)
    stories = (
        stories.select_related("narrator")
        .defer("transcript", "narrator__biography")
        .order_by("-published_at", "-pk")
    )
    return stories, facets, total


def oral_history_detail(*, pk, today=None):
    """A public oral history with what its page shows; raises DoesNotExist if not public."""
    # Every segment, restricted ones too (renditions.public_recording mutes their time); the
    # page lists only `public_segments`.
    segments = Segment.objects.order_by("start_seconds", "pk").prefetch_related(
        Prefetch("artefacts", queryset=Artefact.objects.public())
    )
    story = (
        public_oral_histories(today=today)
        .select_related("narrator", "release")
        .prefetch_related(
            Prefetch("segments", queryset=segments),
            Prefetch("photos", queryset=OralHistoryPhoto.objects.order_by("order", "pk")),
        )
        .get(pk=pk)
    )
    story.public_segments = [s for s in story.segments.all() if not s.restricted]
    return story


def oral_history_related_artefacts(*, story):
    """Public artefacts named in the story's unrestricted segments or given by its narrator."""
    named = Segment.objects.filter(oral_history=story, restricted=False, artefacts=OuterRef("pk"))
    return list(
        with_cover(
            Artefact.objects.public().filter(Q(Exists(named)) | Q(donor_id=story.narrator_id))
        ).order_by("accession_number")[: INDEX_COUNT * 2]
    )


def newest_oral_histories(*, limit=FEED_COUNT, today=None):
    """The newest public oral histories (feed, index page), with their narrator."""
    return list(
        public_oral_histories(today=today)
        .select_related("narrator")
        .defer("transcript")
        .order_by("-published_at", "-pk")[:limit]
    )


# Artefacts --------------------------------------------------------------------------------------


def with_cover(queryset):
    """Annotates `cover_name`: the stored name of the artefact's first image, for its thumbnail."""
    first = ArtefactImage.objects.filter(artefact=OuterRef("pk")).order_by("order", "pk")
    return queryset.annotate(cover_name=Subquery(first.values("image")[:1]))


def newest_artefacts(*, limit=INDEX_COUNT):
    """The most recently catalogued public artefacts with their cover (the column's front page)."""
    return list(
        with_cover(Artefact.objects.public())
        .only("pk", "accession_number", "name", "category", "war")
        .order_by("-pk")[:limit]
    )


def artefact_list(*, category="", war="", query=""):
    """Public artefacts filtered by category and war, with their cover; and the facet counts."""
    public = Artefact.objects.public()
    if query:
        public = search.search_artefacts(public, query)
    artefacts = public
    if category:
        artefacts = artefacts.filter(category=category)
    if war:
        artefacts = artefacts.filter(war=war)
    category_counts, war_counts = {}, {}
    for row_category, row_war, n in (
        public.order_by().values_list("category", "war").annotate(n=Count("pk"))
    ):
        if not war or row_war == war:
            category_counts[row_category] = category_counts.get(row_category, 0) + n
        if not category or row_category == category:
            war_counts[row_war] = war_counts.get(row_war, 0) + n
    artefacts = with_cover(artefacts).only("pk", "accession_number", "name", "category", "war")
    return artefacts.order_by("accession_number"), {"category": category_counts, "war": war_counts}


def artefact_detail(*, accession_number):
    """A public artefact with its images and donor; raises DoesNotExist if not public."""
    return (
        Artefact.objects.public()
        .select_related("donor")
        .annotate(donor_is_public=Exists(Veteran.objects.public().filter(pk=OuterRef("donor_id"))))
        .prefetch_related(
            Prefetch("images", queryset=ArtefactImage.objects.order_by("order", "pk"))
        )
        .get(accession_number=accession_number)
    )


def artefact_display(*, artefact, on=None):
    """The public base where the artefact is on display now, with the display event, or None."""
    on = on or timezone.localdate()
    return (
        CustodyEvent.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on),
            artefact=artefact,
            kind=CustodyEvent.Kind.DISPLAY,
            starts_on__lte=on,
            # Bases sit above redhistory (docs/CONTRIBUTING.md, Layers): read through the registry.
            base__in=apps.get_model("exhibitions", "EducationBase").objects.public(),
        )
        .select_related("base", "section")
        .order_by("-starts_on", "-pk")
        .first()
    )


def artefact_segments(*, artefact, today=None):
    """Unrestricted segments of public oral histories that name the artefact, with their story."""
    return list(
        Segment.objects.filter(
            artefacts=artefact,
            restricted=False,
            oral_history__in=public_oral_histories(today=today),
        )
        .select_related("oral_history")
        .only("pk", "start_seconds", "title", "synopsis", "oral_history__id", "oral_history__title")
        .order_by("oral_history__title", "start_seconds")
    )


# Veterans ---------------------------------------------------------------------------------------


def veteran_list(*, county="", war="", query=""):
    """Veterans with a public profile, by county and war, with facet counts."""
    public = Veteran.objects.public()
    if query:
        public = search.search_veterans(public, query)
    veterans = public
    if county:
        veterans = veterans.filter(county=county)
    if war:
        veterans = veterans.filter(
            Exists(VeteranService.objects.filter(veteran=OuterRef("pk"), war=war))
        )
    county_counts = dict(
        (
            public.filter(Exists(VeteranService.objects.filter(veteran=OuterRef("pk"), war=war)))
            if war
            else public
        )
        .order_by()
        .values_list("county")
        .annotate(n=Count("pk"))
    )
    by_war = VeteranService.objects.filter(
        veteran__in=public.filter(county=county) if county else public
    )
    war_counts = dict(
        by_war.order_by().values_list("war").annotate(n=Count("veteran", distinct=True))
    )
    veterans = veterans.only("pk", "name", "gender", "birth_year", "died_on", "county", "portrait")
    return veterans.order_by("name", "pk"), {"county": county_counts, "war": war_counts}


def veteran_detail(*, pk):
    """A veteran with a public profile and their service; raises DoesNotExist otherwise.

    Deferred: the private fields (guardian, health), so no template can show them by mistake.
    """
    return (
        Veteran.objects.public()
        .defer(*PRIVATE_VETERAN_FIELDS)
        .prefetch_related(
            Prefetch("services", queryset=VeteranService.objects.order_by("from_year", "pk"))
        )
        .get(pk=pk)
    )


PRIVATE_VETERAN_FIELDS = [
    "guardian_name",
    "guardian_phone",
    "disabled",
    "aphasic",
    "amnesic",
    "long_illness",
]


def veteran_stories(*, veteran, today=None):
    return list(
        public_oral_histories(today=today)
        .filter(narrator=veteran)
        .defer("transcript")
        .order_by("-recorded_on", "-pk")
    )


def veteran_artefacts(*, veteran):
    return list(
        with_cover(Artefact.objects.public().filter(donor=veteran)).order_by("accession_number")
    )


def veteran_films(*, veteran):
    return list(MicroFilm.objects.public().filter(veterans=veteran).order_by("title", "pk"))


# Micro-films ------------------------------------------------------------------------------------


def film_list():
    return MicroFilm.objects.public().order_by("title", "pk")


def film_detail(*, pk, today=None):
    """A public micro-film with its public sources, public-profile veterans and screenings."""
    return (
        MicroFilm.objects.public()
        .prefetch_related(
            Prefetch(
                "oral_histories",
                queryset=public_oral_histories(today=today).defer("transcript"),
            ),
            Prefetch("veterans", queryset=Veteran.objects.public().only("pk", "name")),
            "screenings",
        )
        .get(pk=pk)
    )


# Column index -----------------------------------------------------------------------------------


def column_figures(*, today=None):
    return {
        "oral_histories": public_oral_histories(today=today).count(),
        "artefacts": Artefact.objects.public().count(),
        "veterans": Veteran.objects.public().count(),
        "films": MicroFilm.objects.public().count(),
    }


# Search -----------------------------------------------------------------------------------------


def search_everything(*, query, kind="", page=None, today=None):
    """Hits for a query: {kind: page of hits}, every kind's first page, or only `kind`'s `page`
    when one kind is chosen (two queries per kind: the count and the page)."""
    searches = {
        "oral_histories": lambda: (
            search.ranked(
                search.search_oral_histories(public_oral_histories(today=today), query),
                query,
                "title",
            )
            .select_related("narrator")
            .defer("transcript", "narrator__biography")
            .order_by("-search_rank", "-published_at", "-pk")
        ),
        "artefacts": lambda: (
            with_cover(
                search.ranked(
                    search.search_artefacts(Artefact.objects.public(), query), query, "name"
                )
            )
            .only("pk", "accession_number", "name", "category", "war", "story")
            .order_by("-search_rank", "accession_number")
        ),
        "veterans": lambda: (
            search.ranked(search.search_veterans(Veteran.objects.public(), query), query, "name")
            .only("pk", "name", "county", "birth_year", "died_on", "native_place")
            .order_by("-search_rank", "name", "pk")
        ),
        "films": lambda: search.ranked(
            search.search_films(MicroFilm.objects.public(), query), query, "title"
        ).order_by("-search_rank", "title", "pk"),
    }
    return {
        name: paginate(build(), page if kind else 1, SEARCH_PAGE_SIZE)
        for name, build in searches.items()
        if not kind or name == kind
    }
