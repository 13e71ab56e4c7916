"""Per-address rate limits through Django's cache: with Redis as the cache (CACHE_URL), every
server counts against the same limit."""

from django.conf import settings
from django.core.cache import cache

# (requests, seconds) per address; settings.VISITS_RATE_LIMITS overrides each.
DEFAULT_LIMITS = {
    "booking": (5, 60 * 60),
    "lookup": (20, 60 * 60),
    "check_in": (10, 10 * 60),
}


def client_address(request):
    # Behind nginx REMOTE_ADDR is the proxy; name the header it sets (e.g. "HTTP_X_REAL_IP") in
    # VISITS_CLIENT_IP_HEADER. Without a proxy, a client could forge any header: not trusted.
    header = getattr(settings, "VISITS_CLIENT_IP_HEADER", None)
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def limit_for(action):
    return getattr(settings, "VISITS_RATE_LIMITS", {}).get(action, DEFAULT_LIMITS[action])


def hit(request, action):
    """Counts one request; False once the address has used up its allowance for the window."""
    allowed, window = limit_for(action)
    key = f"visits:rate:{action}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= allowed


def exceeded(request, action):
    """Whether the address is over its allowance, without counting a request."""
    allowed, _window = limit_for(action)
    return (cache.get(f"visits:rate:{action}:{client_address(request)}") or 0) >= allowed
