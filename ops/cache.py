"""Versioned caching of public pages and fragments, invalidated when records change.

Each portal app has a "generation" in the cache, bumped whenever one of its models is saved or
deleted (post_save, post_delete, m2m_changed). A key built with `versioned_key(apps, ...)` names
the generations it depends on, so a change makes every dependent entry unreachable at once, on
every app server sharing the cache; stale entries simply expire.

- `public_page(*apps)`: caches a public view's whole page for anonymous visitors.
- `fragment(apps, name, build)`: caches any computed value (a list, figures) the same way.

Writes that send no signals (`QuerySet.update()`, bulk imports) call `bump(app_label)` themselves.
"""

import hashlib
import re
import time
import uuid
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.connection import ConnectionProxy
from django.utils.translation import get_language

# The cache of pages, fragments and generations (settings.PORTAL_PAGE_CACHE_ALIAS: "pages" when
# PAGE_CACHE_URL gives them a cache of their own).
cache = ConnectionProxy(caches, getattr(settings, "PORTAL_PAGE_CACHE_ALIAS", "default"))
DEFAULT_TIMEOUT = 10 * 60
GENERATION_TIMEOUT = None  # generations never expire on their own

# A cached page must not carry one visitor's CSRF token to another: the token is cut out when the
# page is stored and a fresh one for the current visitor put back when it is served.
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf\x00"


def _generation_key(app_label):
    return f"generation:{app_label}"


def _new_generation():
    # Time-based, so a generation lost with the cache never reuses a number of stale entries.
    return time.time_ns()


def generations(app_labels):
    """The current generation of each app, creating missing ones (one round trip when warm)."""
    _replay_lost_bumps()
    keys = {_generation_key(label): label for label in app_labels}
    found = cache.get_many(list(keys))
    result = {}
    missing = {}
    for key, label in keys.items():
        if key in found:
            result[label] = found[key]
        else:
            result[label] = missing[key] = _new_generation()
    if missing:
        cache.set_many(missing, GENERATION_TIMEOUT)
    return result


# Bumps that could not reach the cache (Redis down or just failed): replayed by this process as
# soon as the cache answers again, so that pages stored before the outage are not served after it.
_lost_bumps = set()


def _cache_available():
    return getattr(cache, "available", True)


def bump(app_label):
    """Makes every cached entry that depends on `app_label` unreachable."""
    # A cache that failed a moment ago skips its calls for a few seconds; a bump tries anyway.
    getattr(cache, "retry_now", lambda: None)()
    key = _generation_key(app_label)
    try:
        if cache.incr(key) is not None:
            _lost_bumps.discard(app_label)
            return
    except ValueError:
        pass
    cache.set(key, _new_generation(), GENERATION_TIMEOUT)
    if _cache_available():
        _lost_bumps.discard(app_label)
    else:
        _lost_bumps.add(app_label)


def _replay_lost_bumps():
    if _lost_bumps and _cache_available():
        for label in list(_lost_bumps):
            bump(label)


def bump_on_commit(app_label):
    """Bumps now and again once the surrounding transaction commits: a request that renders
    between the two would otherwise store the old, still committed, records under the new
    generation (a withdrawn story, a consent just removed) for the whole timeout."""
    bump(app_label)
    transaction.on_commit(lambda: bump(app_label))


def bump_all():
    """After writes that bypass the signals across apps (the demo, a restore)."""
    for label in settings.PORTAL_APPS:
        bump(label)


def versioned_key(app_labels, *parts):
    gens = generations(app_labels)
    version = ".".join(str(gens[label]) for label in sorted(gens))
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"v:{version}:{digest}"


def fragment(app_labels, name, build, *, timeout=DEFAULT_TIMEOUT):
    """The cached result of `build()`, recomputed after any change to `app_labels`."""
    key = versioned_key(app_labels, "fragment", name, get_language())
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def _request_is_cacheable(request):
    # A visitor with a session (staff signed in, a booking under way) or pending messages always
    # gets a fresh page; everyone else shares one.
    return request.method in ("GET", "HEAD") and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def _response_is_cacheable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _current_generations(labels, found):
    """The generations of `labels` from a `get_many` result, creating any that are missing."""
    missing = {}
    current = []
    for label in labels:
        key = _generation_key(label)
        if key not in found:
            found[key] = missing[key] = _new_generation()
        current.append(found[key])
    if missing:
        cache.set_many(missing, GENERATION_TIMEOUT)
    return tuple(current)


def _fresh_field(name):
    """A hidden form field whose value must differ for every visitor (a one-time token): its
    pattern in a stored page and the placeholder that stands for it."""
    pattern = re.compile(r'(<input type="hidden" name="' + re.escape(name) + r'" value=")[^"]*(")')
    return pattern, f"\x00fresh:{name}\x00"


def public_page(*app_labels, timeout=DEFAULT_TIMEOUT, fresh_fields=(), params=()):
    """Caches a public view's page for anonymous visitors, per address and language.

    `app_labels`: the apps whose records the page shows (all portal apps if none are named).
    A page is stored with the generations it was rendered under and served only while they are
    still current; the generations and the page are read in one round trip to the cache.
    `fresh_fields`: names of hidden inputs holding a one-time token (a random UUID, as the
    booking and check-in forms use), given a new value on every page served.
    `params`: the query parameters the view reads. Others (`?from=timeline` of a shared link,
    or junk) do not make a new entry: such a request is served the page without them if it is
    cached, and a page rendered with them is never stored, so it cannot carry them to others.
    """
    labels = sorted(app_labels or settings.PORTAL_APPS)
    known = frozenset(params)
    generation_keys = [_generation_key(label) for label in labels]
    placeholder = _CSRF_PLACEHOLDER.encode()
    fresh = [_fresh_field(name) for name in fresh_fields]

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not settings.PORTAL_PAGE_CACHE or not _request_is_cacheable(request):
                return view(request, *args, **kwargs)
            _replay_lost_bumps()
            query = sorted((k, v) for k, v in request.GET.lists() if k in known)
            unknown = any(k not in known for k in request.GET)
            # The host and scheme too: the page's canonical and Open Graph addresses show them.
            digest = hashlib.sha256(
                "\x1f".join(
                    (
                        request.scheme,
                        request.get_host(),
                        request.path,
                        urlencode(query, doseq=True),
                        get_language(),
                    )
                ).encode()
            ).hexdigest()[:32]
            page_key = f"page:{view.__module__}.{view.__name__}:{digest}"
            found = cache.get_many([*generation_keys, page_key])
            current = _current_generations(labels, found)
            cached = found.get(page_key)
            if cached is not None and cached[0] == current:
                _generations, content_type, body = cached
                if placeholder in body:
                    body = body.replace(placeholder, get_token(request).encode())
                for _pattern, field_placeholder in fresh:
                    body = body.replace(field_placeholder.encode(), str(uuid.uuid4()).encode())
                response = HttpResponse(body, content_type=content_type)
                response["X-Portal-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not unknown and _response_is_cacheable(response):
                body = _CSRF_VALUE.sub(
                    lambda m: m.group(1) + _CSRF_PLACEHOLDER + m.group(2),
                    response.content.decode(response.charset),
                )
                for pattern, field_placeholder in fresh:
                    body = pattern.sub(
                        lambda m, p=field_placeholder: m.group(1) + p + m.group(2), body
                    )
                body = body.encode(response.charset)
                cache.set(page_key, (current, response["Content-Type"], body), timeout)
                response["X-Portal-Cache"] = "miss"
            elif unknown:
                response["X-Portal-Cache"] = "pass"  # rendered, not stored
            return response

        wrapped.portal_cached = True
        return wrapped

    return decorator


def _bump_for(sender, **kwargs):
    label = sender._meta.app_label
    if label in settings.PORTAL_APPS and not sender.__name__.startswith("Historical"):
        bump_on_commit(label)


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_bump_for, dispatch_uid="ops.cache.post_save")
    post_delete.connect(_bump_for, dispatch_uid="ops.cache.post_delete")
    m2m_changed.connect(_bump_m2m, dispatch_uid="ops.cache.m2m_changed")


def _bump_m2m(sender, instance, action, model=None, **kwargs):
    if not action.startswith("post_"):
        return
    for label in {instance._meta.app_label, model._meta.app_label if model else None}:
        if label in settings.PORTAL_APPS:
            bump_on_commit(label)
