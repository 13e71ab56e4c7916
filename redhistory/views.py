"""Public pages of the red-memory column (红色记忆). Every read goes through `selectors`."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.counties import County
from ops.cache import public_page

from . import renditions, search, selectors, transcripts
from .models import RESTRICTED_NOTICE, Artefact, MicroFilm, OralHistory, Veteran, War
from .storage import redhistory_storage

# What the column's pages show: red-history records, and the bases and counties they link to.
PAGE_APPS = ("redhistory", "exhibitions")


def _choice(request, name, choices):
    """A filter value from the query string, or "" when it is not one of the choices."""
    value = request.GET.get(name, "")
    return value if value in {v for v, _label in choices} else ""


def _filters(request, chosen, facets, labelled_choices):
    """What the filter links show: for each filter its label, the link that drops it, and each
    choice's (label, count, selected, link); links keep the other filters and the search."""

    def link(name, value):
        params = request.GET.copy()
        params.pop("page", None)
        if value:
            params[name] = value
        else:
            params.pop(name, None)
        return f"?{params.urlencode()}" if params else "?"

    return [
        {
            "name": name,
            "label": label,
            "selected": chosen[name],
            "all_link": link(name, ""),
            "choices": [
                (choice_label, facets[name].get(value, 0), value == chosen[name], link(name, value))
                for value, choice_label in choices
            ],
        }
        for name, label, choices in labelled_choices
    ]


def _query(request):
    return " ".join(search.terms(request.GET.get("q", "")))


@public_page(*PAGE_APPS)
def index(request):
    """The column's front page. Template: `redhistory/index.html` with `figures`, `stories`,
    `artefacts` and `films`."""
    context = {
        "figures": selectors.column_figures(),
        "stories": selectors.newest_oral_histories(limit=selectors.INDEX_COUNT),
        "artefacts": selectors.newest_artefacts(),
        "films": list(selectors.film_list()[: selectors.INDEX_COUNT // 2]),
    }
    return render(request, "redhistory/index.html", context)


@public_page(*PAGE_APPS, params=["war", "theme", "period", "county", "q", "page"])
def oralhistory_list(request):
    """Public oral histories filterable by `war`, `theme`, `period`, `county` and searchable by
    `q`, paginated. Template: `redhistory/oralhistory_list.html` with `page`, the `filters`
    ((name, label, [(value, label, count, selected)]) triples) and `query`."""
    chosen = {
        "war": _choice(request, "war", War.choices),
        "theme": _choice(request, "theme", OralHistory.Theme.choices),
        "period": _choice(request, "period", OralHistory.Period.choices),
        "county": _choice(request, "county", County.choices),
    }
    query = _query(request)
    stories, facets, total = selectors.oral_history_list(query=query, **chosen)
    filters = _filters(
        request,
        chosen,
        facets,
        [
            ("war", _("War"), War.choices),
            ("theme", _("Theme"), OralHistory.Theme.choices),
            ("period", _("Period"), OralHistory.Period.choices),
            ("county", _("County"), County.choices),
        ],
    )
    context = {
        "page": selectors.paginate(stories, request.GET.get("page"), count=total),
        "filters": filters,
        "query": query,
        "keep": [(name, value) for name, value in chosen.items() if value],
    }
    return render(request, "redhistory/oralhistory_list.html", context)


@public_page(*PAGE_APPS)
def oralhistory_detail(request, pk):
    """A public oral history: player, segment index, public transcript, narrator, artefacts.
    Template: `redhistory/oralhistory_detail.html` with `story`, `segments`, `narrator_public`,
    `artefacts`, `photos` and `transcript` (the public transcript)."""
    try:
        story = selectors.oral_history_detail(pk=pk)
    except OralHistory.DoesNotExist:
        raise Http404 from None
    recording, reason = renditions.public_recording(story)
    context = {
        "story": story,
        "segments": story.public_segments,
        "recording": recording and redhistory_storage().url(recording),
        "recording_withheld": reason,
        "playable": recording is not None,
        "has_muted": recording is not None and recording != renditions.source_name(story),
        "photos": list(story.photos.all()),
        "transcript": transcripts.lines(story.transcript),
        "narrator_public": story.narrator.public_profile,
        "artefacts": selectors.oral_history_related_artefacts(story=story),
    }
    return render(request, "redhistory/oralhistory_detail.html", context)


@public_page(*PAGE_APPS)
def oralhistory_captions(request, pk):
    """WebVTT captions of a public oral history, from its segments and public transcript
    (`transcripts.webvtt`): withheld passages and restricted segments show the notice."""
    try:
        story = selectors.oral_history_detail(pk=pk)
    except OralHistory.DoesNotExist:
        raise Http404 from None
    segments = [(s.start_seconds, s.restricted) for s in story.segments.all()]
    body = transcripts.webvtt(story.transcript, segments, story.duration, str(RESTRICTED_NOTICE))
    return HttpResponse(body, content_type="text/vtt; charset=utf-8")


@public_page(*PAGE_APPS, params=["category", "war", "q", "page"])
def artefact_list(request):
    """The gallery of public artefacts, filterable by `category` and `war`, searchable by `q`.
    Template: `redhistory/artefact_list.html` with `page`, `filters` and `query`."""
    chosen = {
        "category": _choice(request, "category", Artefact.Category.choices),
        "war": _choice(request, "war", War.choices),
    }
    query = _query(request)
    artefacts, facets = selectors.artefact_list(query=query, **chosen)
    filters = _filters(
        request,
        chosen,
        facets,
        [
            ("category", _("Category"), Artefact.Category.choices),
            ("war", _("War"), War.choices),
        ],
    )
    context = {
        "page": selectors.paginate(artefacts, request.GET.get("page")),
        "filters": filters,
        "query": query,
        "keep": [(name, value) for name, value in chosen.items() if value],
    }
    return render(request, "redhistory/artefact_list.html", context)


@public_page(*PAGE_APPS)
def artefact_detail(request, accession_number):
    """A public artefact: images, story, donor (if public), display, segments that tell of it.
    Template: `redhistory/artefact_detail.html`."""
    try:
        artefact = selectors.artefact_detail(accession_number=accession_number)
    except Artefact.DoesNotExist:
        raise Http404 from None
    context = {
        "artefact": artefact,
        "images": list(artefact.images.all()),
        "donor": artefact.donor if artefact.donor_is_public else None,
        "display": selectors.artefact_display(artefact=artefact),
        "segments": selectors.artefact_segments(artefact=artefact),
    }
    return render(request, "redhistory/artefact_detail.html", context)


@public_page(*PAGE_APPS, params=["county", "war", "q", "page"])
def veteran_list(request):
    """Veterans whose public profile was consented to, by `county` and `war`, searchable by `q`.
    Template: `redhistory/veteran_list.html`."""
    chosen = {
        "county": _choice(request, "county", County.choices),
        "war": _choice(request, "war", War.choices),
    }
    query = _query(request)
    veterans, facets = selectors.veteran_list(query=query, **chosen)
    filters = _filters(
        request,
        chosen,
        facets,
        [
            ("war", _("War"), War.choices),
            ("county", _("County"), County.choices),
        ],
    )
    context = {
        "page": selectors.paginate(veterans, request.GET.get("page")),
        "filters": filters,
        "query": query,
        "keep": [(name, value) for name, value in chosen.items() if value],
    }
    return render(request, "redhistory/veteran_list.html", context)


@public_page(*PAGE_APPS)
def veteran_detail(request, pk):
    """A veteran's public profile: biography, service, stories, artefacts and films. Never
    contact, guardian or health data. Template: `redhistory/veteran_detail.html`."""
    try:
        veteran = selectors.veteran_detail(pk=pk)
    except Veteran.DoesNotExist:
        raise Http404 from None
    context = {
        "veteran": veteran,
        "services": list(veteran.services.all()),
        "stories": selectors.veteran_stories(veteran=veteran),
        "artefacts": selectors.veteran_artefacts(veteran=veteran),
        "films": selectors.veteran_films(veteran=veteran),
    }
    return render(request, "redhistory/veteran_detail.html", context)


@public_page(*PAGE_APPS, params=["page"])
def film_list(request):
    """Public micro-films, paginated. Template: `redhistory/film_list.html` with `page`."""
    context = {"page": selectors.paginate(selectors.film_list(), request.GET.get("page"))}
    return render(request, "redhistory/film_list.html", context)


@public_page(*PAGE_APPS)
def film_detail(request, pk):
    """A public micro-film with its sources and screenings. Template: `redhistory/film_detail.html`."""
    try:
        film = selectors.film_detail(pk=pk)
    except MicroFilm.DoesNotExist:
        raise Http404 from None
    return render(request, "redhistory/film_detail.html", {"film": film})


SEARCH_LABELS = {
    "oral_histories": _("Oral histories"),
    "artefacts": _("Artefacts"),
    "veterans": _("Veterans"),
    "films": _("Micro-films"),
}


@public_page(*PAGE_APPS, params=["q", "kind", "page"])
def search_view(request):
    """Search across the column by `q`; `kind` shows one kind's hits, paginated. Template:
    `redhistory/search.html` with `query`, `kind` and `results` ((kind, label, page) triples)."""
    query = _query(request)
    kind = request.GET.get("kind", "")
    if kind not in SEARCH_LABELS:
        kind = ""
    results = []
    if query:
        pages = selectors.search_everything(query=query, kind=kind, page=request.GET.get("page"))
        results = [(name, SEARCH_LABELS[name], page) for name, page in pages.items()]
    context = {"query": query, "kind": kind, "results": results}
    return render(request, "redhistory/search.html", context)
