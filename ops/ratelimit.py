"""A fixed-window rate limit in the shared cache (Redis in production): `allow(scope, ident, ...)`.

With the cache down, `allow` lets the request through: a Redis outage must not stop bookings.
"""

import hashlib
import time

from django.core.cache import cache


def allow(scope, ident, *, limit, window):
    """True while `ident` (an address, an account) has made at most `limit` calls to `scope` in
    the current `window` seconds."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(str(ident).encode()).hexdigest()[:24]
    key = f"ratelimit:{scope}:{digest}:{bucket}"
    if cache.add(key, 1, window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr: a new window.
        cache.add(key, 1, window + 1)
        return True
    return count is None or count <= limit
