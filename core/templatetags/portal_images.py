from django import template

from core.images import thumbnail_url

register = template.Library()


@register.filter
def thumbnail(fieldfile, size="small"):
    """{{ artefact.cover|thumbnail:"small" }}: the URL of a fixed-size thumbnail."""
    return thumbnail_url(fieldfile, size)


@register.simple_tag
def cover(title, subtitle="", group="", era="", square=False):
    """{% cover base.name base.get_kind_display base.kind %}: a designed cover (core/covers.py)
    as a data: URI, for a thing that has no photo."""
    from core.covers import cover_data_uri

    return cover_data_uri(title, subtitle, group, era, square=bool(square))
