"""Fixed-window rate limits per client address in the shared cache (Redis in production):
`allow(request, scope, limit=..., window=...)`.

The address is django-axes' (`AXES_IPWARE_META_PRECEDENCE_ORDER`, docs/deploy.md), so login
throttling and these limits count the same visitor behind nginx. With the cache down, `allow`
lets the request through and logs it: a Redis outage must not stop bookings.
"""

import hashlib
import logging
import time

from axes.helpers import get_client_ip_address
from django.core.cache import cache

logger = logging.getLogger("ops.ratelimit")


def client_address(request):
    return get_client_ip_address(request) or ""


def allow(request, scope, *, limit, window):
    """True while the request's address has made at most `limit` calls to `scope` in the
    current `window` seconds."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]
    key = f"ratelimit:{scope}:{digest}:{bucket}"
    if cache.add(key, 1, window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr: a new window.
        cache.add(key, 1, window + 1)
        return True
    if count is None:
        # ops.cache_backend answers None while Redis is down.
        logger.warning("Rate limit %s not enforced: the cache is unavailable", scope)
        return True
    return count <= limit
