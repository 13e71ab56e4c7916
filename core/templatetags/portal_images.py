from django import template

from core.images import thumbnail_url

register = template.Library()


@register.filter
def thumbnail(fieldfile, size="small"):
    """{{ artefact.cover|thumbnail:"small" }}: the URL of a fixed-size thumbnail."""
    return thumbnail_url(fieldfile, size)
