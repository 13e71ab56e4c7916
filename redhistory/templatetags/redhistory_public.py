from django import template
from django.utils.translation import gettext as _

from core.images import THUMBNAIL_SIZES, thumbnail_name

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
