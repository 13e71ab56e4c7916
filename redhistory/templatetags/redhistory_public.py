import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.images import THUMBNAIL_SIZES, thumbnail_name
from redhistory import search

register = template.Library()


@register.filter
def cover_thumbnail(name, size="small"):
    """{{ artefact.cover_name|cover_thumbnail }}: the thumbnail URL of an image stored under
    `name` (a list annotates names, not files, to stay one query)."""
    from redhistory.models import ArtefactImage

    if not name or size not in THUMBNAIL_SIZES:
        return ""
    storage = ArtefactImage._meta.get_field("image").storage
    return storage.url(thumbnail_name(name, size))


@register.filter
def minutes(seconds):
    """A duration as people say it: whole minutes (16分钟), or seconds under a minute."""
    if seconds in (None, ""):
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    return _("%(minutes)s min") % {"minutes": round(seconds / 60)}


@register.filter
def clock(seconds):
    """Seconds as m:ss or h:mm:ss, for durations and segment starts."""
    if seconds in (None, ""):
        return ""
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _marked(text, term_list):
    """Escaped text with each occurrence of a term in <mark>."""
    if not term_list:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(term_list, key=len, reverse=True)))
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


@register.filter
def highlight(text, query):
    """{{ hit.title|highlight:query }}: the search terms marked."""
    return mark_safe(_marked(str(text or ""), search.terms(query)))  # noqa: S308 (escaped above)


@register.filter
def snippet(text, query, width=36):
    """{{ hit.summary|snippet:query }}: the text around the first term it holds, marked; empty
    when it holds none (the hit matched elsewhere)."""
    text, term_list = str(text or ""), search.terms(query)
    found = [text.find(term) for term in term_list if term in text]
    if not found:
        return ""
    first = min(found)
    start, end = max(0, first - width // 2), min(len(text), first + width)
    shown = _marked(text[start:end], term_list)
    return mark_safe(("…" if start else "") + shown + ("…" if end < len(text) else ""))  # noqa: S308
