"""Django's RedisCache, made to degrade: with Redis down, reads miss and writes do nothing.

The site keeps serving (from the database) when Redis stops; errors are logged once per outage.
After a failure the cache is skipped for `retry_after` seconds (`OPTIONS["retry_after"]`, 5 by
default), so a dead Redis costs each request no connection attempts.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("ops.cache")


def _redis_errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache call, and with it a table of
    some 170 response callbacks: a measurable share of a cached page's cost. One client per
    connection pool serves every call instead (redis-py clients are safe to share between
    threads; the pool hands each command its own connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0
        self._errors = _redis_errors()

    def _guard(self, operation, default, *args, **kwargs):
        if self._down_until and time.monotonic() < self._down_until:
            return default
        try:
            result = operation(*args, **kwargs)
        except self._errors as error:
            if not self._down_until:
                logger.warning("Redis cache unavailable, serving without it: %s", error)
            self._down_until = time.monotonic() + self.retry_after
            return default
        if self._down_until:
            logger.warning("Redis cache is back")
            self._down_until = 0.0
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as every backend does.
        return self._guard(super().incr, None, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(super().delete_many, None, keys, version)

    def clear(self):
        return self._guard(super().clear, False)

    def retry_now(self):
        """The next call tries Redis even within `retry_after` of a failure (for rare writes
        that must not be lost, such as ops.cache.bump)."""
        self._down_until = 0.0

    @property
    def available(self):
        return not (self._down_until and time.monotonic() < self._down_until)
