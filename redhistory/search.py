"""Search of the public red-memory column that works for Chinese.

Chinese has no spaces between words, so a word search (PostgreSQL's full-text search with its
default parsers) finds nothing for 战斗 in 参加了百团大战斗争. We match substrings instead: every
term must occur somewhere in one of a record's public texts (`contains`), so a two-character
word finds exactly the records that contain it. On PostgreSQL the columns carry pg_trgm GIN
indexes (migration 0004 of this app), which narrow terms of three characters or more; shorter
terms stay correct, only slower.

Matching is `contains` (`LIKE`), not `icontains`: PostgreSQL runs `icontains` as
`UPPER(col) LIKE`, which no trigram index serves and which costs three times as much on long
Chinese texts (measured in docs/performance.md). Chinese has no case; only Latin letters are
matched case-sensitively there (SQLite's LIKE ignores ASCII case anyway). Accession numbers are
the exception: people type them in either case.

Transcripts are searched in their public form only: the restricted passages
(`[restricted]…[/restricted]`, an unclosed one to the end) are cut out in the database by
`transcripts.PublicTranscript`, so a word that occurs only inside a withheld passage finds nothing.
"""

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from .transcripts import PublicTranscript

CASE_INSENSITIVE = {"accession_number"}
MAX_TERMS = 5
MAX_QUERY_LENGTH = 100


def terms(query):
    """The search terms of a query: split on spaces (ASCII or ideographic), at most five."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    found = []
    for term in query.replace("\u3000", " ").split():
        if term not in found:
            found.append(term)
    return found[:MAX_TERMS]


def _all_terms(term_list, fields):
    """Q: every term occurs in at least one of the fields."""
    condition = Q()
    for term in term_list:
        either = Q()
        for field in fields:
            lookup = "icontains" if field in CASE_INSENSITIVE else "contains"
            either |= Q(**{f"{field}__{lookup}": term})
        condition &= either
    return condition


def search_oral_histories(queryset, query):
    """Public oral histories matching every term in title, summary, public transcript, narrator's
    name, or the title, keywords or synopsis of one of their unrestricted segments."""
    from .models import Segment

    term_list = terms(query)
    if not term_list:
        return queryset
    queryset = queryset.alias(public_transcript_text=PublicTranscript(F("transcript")))
    condition = Q()
    for term in term_list:
        segment_hit = Segment.objects.filter(
            Q(title__contains=term) | Q(keywords__contains=term) | Q(synopsis__contains=term),
            oral_history=OuterRef("pk"),
            restricted=False,
        )
        condition &= (
            Q(title__contains=term)
            | Q(summary__contains=term)
            | Q(narrator__name__contains=term)
            # The raw column first so PostgreSQL can use its trigram index; the public text
            # then drops hits that lie only inside a restricted passage.
            | (Q(transcript__contains=term) & Q(public_transcript_text__contains=term))
            | Exists(segment_hit)
        )
    return queryset.filter(condition)


def search_artefacts(queryset, query):
    """Artefacts matching every term in name, accession number, story or era."""
    term_list = terms(query)
    if not term_list:
        return queryset
    return queryset.filter(_all_terms(term_list, ["name", "accession_number", "story", "era_text"]))


def search_veterans(queryset, query):
    """Veterans (public profiles only: the caller passes those) by name, native place or biography."""
    term_list = terms(query)
    if not term_list:
        return queryset
    return queryset.filter(_all_terms(term_list, ["name", "native_place", "biography"]))


def search_films(queryset, query):
    """Micro-films by title or description."""
    term_list = terms(query)
    if not term_list:
        return queryset
    return queryset.filter(_all_terms(term_list, ["title", "summary"]))


def ranked(queryset, query, field):
    """Orders hits by how many of the terms their `field` (a title or a name) holds, first: a
    record named for what was asked comes before one that only mentions it. Callers add their
    own order after `-search_rank`."""
    score = Value(0, output_field=IntegerField())
    for term in terms(query):
        score = score + Case(
            When(**{f"{field}__contains": term}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return queryset.alias(search_rank=score)
