"""A crawler of the public site and what it must never show, computed from the database.

Generic by design: it knows no app. Public records are those a model's `public()` queryset
returns (and, for images, the children of such records); everything else is private.
"""

import html
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.utils import translation

# Where the anonymous crawler does not go: staff pages, files, and actions.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/reports/")
ID_NUMBER = re.compile(
    r"(?<![\d])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{5}[\dXx](?![\dA-Za-z])"
)
SENSITIVE_NAME = re.compile(r"(^|_)(phone|mobile|telephone|id_number|id_card|health|ethnic)")
LINK = re.compile(r"""(?:href|src|action|content)\s*=\s*["']([^"']+)["']""")


def portal_models():
    for label in settings.PORTAL_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def public_queryset(model):
    queryset = model._default_manager.all()
    return queryset.public() if hasattr(queryset, "public") else None


def parent_public_filter(model, depth=2):
    """For a model without `public()`: (lookup path, public parents) that make a row public
    through a parent or grandparent (a section's image through its base)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            parent_public = public_queryset(field.related_model)
            if parent_public is not None:
                return field.name, parent_public
    if depth > 1:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is not model:
                found = parent_public_filter(field.related_model, depth - 1)
                if found:
                    return f"{field.name}__{found[0]}", found[1]
    return None


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def thumbnail_stems(name):
    """A stored file's name without folder or extension: its thumbnails share it."""
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def media_inventory():
    """(public stems, private stems) of every stored file of the portal's models."""
    public, private = set(), set()
    for model in portal_models():
        fields = file_fields(model)
        if not fields:
            continue
        own_public = public_queryset(model)
        through_parent = parent_public_filter(model) if own_public is None else None
        for obj in model._default_manager.all():
            for field in fields:
                value = getattr(obj, field.attname)
                if not value:
                    continue
                if own_public is not None:
                    is_public = own_public.filter(pk=obj.pk).exists()
                elif through_parent and isinstance(field, models.ImageField):
                    path, parents = through_parent
                    is_public = model._default_manager.filter(
                        pk=obj.pk, **{f"{path}__in": parents}
                    ).exists()
                else:
                    is_public = False
                (public if is_public else private).add(thumbnail_stems(str(value)))
    return public, private - public


def private_values():
    """Values of personal fields (phones, ID numbers, health) of models with no public face."""
    values, labels = set(), set()
    for model in portal_models():
        if public_queryset(model) is not None:
            continue
        for field in model._meta.concrete_fields:
            if not SENSITIVE_NAME.search(field.name):
                continue
            if field.choices:
                with translation.override("zh-hans"):
                    labels.add(str(field.verbose_name))
                continue
            if isinstance(field, (models.CharField, models.TextField)):
                for value in model._default_manager.values_list(field.name, flat=True):
                    if value and len(value.strip()) >= 5:
                        values.add(value.strip())
    return values, labels


def unpublished_records():
    """(url, text) of records a `public()` queryset leaves out."""
    records = []
    for model in portal_models():
        public = public_queryset(model)
        if public is None:
            continue
        public_ids = set(public.values_list("pk", flat=True))
        public_texts = {str(obj) for obj in public}
        for obj in model._default_manager.exclude(pk__in=public_ids)[:200]:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
            text = str(obj)
            if len(text) < 4 or any(text in other for other in public_texts):
                text = None
            records.append((model._meta.label, url, text))
    return records


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return [
        urlsplit(html.unescape(loc)).path
        for loc in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    ]


def internal_links(page):
    for raw in LINK.findall(page):
        url = urldefrag(html.unescape(raw))[0]
        parts = urlsplit(url)
        if parts.scheme and parts.netloc != "testserver":
            continue
        if not parts.path.startswith("/"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def page_kind(url):
    """/bases/a/ and /bases/b/?page=2 are the same kind of page (one template)."""
    path = url.split("?")[0]
    return re.sub(r"/[^/]+/$", "/*/", path) if path.count("/") > 2 else path


def crawl(limit=400, per_kind=6, start=()):
    """Public pages reachable from / and the sitemap, as an anonymous visitor: every kind of
    page, and up to `per_kind` addresses of each (query-string variants included)."""
    client = Client()
    queue = deque(["/", *start, *sitemap_urls(client)])
    seen, pages, media, errors = set(), {}, set(), []
    kinds = {}
    queued = deque()
    for url in queue:
        if url not in seen:
            seen.add(url)
            queued.append(url)
    queue = queued
    while queue and len(pages) < limit:
        url = queue.popleft()
        kind = page_kind(url)
        if kinds.get(kind, 0) >= per_kind:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        pages[url] = page
        for link in internal_links(page):
            if link.startswith("/media/"):
                media.add(link)
            elif not link.startswith(SKIP_PREFIXES) and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages, media, errors


def id_number_leaks(pages):
    return {url: hits for url, page in pages.items() if (hits := ID_NUMBER.findall(page))}


def personal_leaks(pages):
    values, labels = private_values()
    return [
        (url, value) for url, page in pages.items() for value in values | labels if value in page
    ]


# The bureau counts all 21 bases, and the home page's map names those still being built as
# such (issue 16), never linking them: a name beside this badge is not a leak.
BEING_BUILT = '{} <span class="badge text-bg-light">建设中</span>'


def unpublished_leaks(pages):
    leaks = []
    for label, url, text in unpublished_records():
        for page_url, page in pages.items():
            if url and re.search(rf"""["']{re.escape(url)}["']""", page):
                leaks.append((page_url, label, url))
            if text and label == "exhibitions.EducationBase":
                page = page.replace(BEING_BUILT.format(text), "")
            if text and text in page:
                leaks.append((page_url, label, text))
    return leaks


def media_leaks(pages, media):
    public, private = media_inventory()
    leaks = [(url, stem) for url, page in pages.items() for stem in private if stem in page]
    leaks += [("unknown", link) for link in media if not any(stem in link for stem in public)]
    return leaks
