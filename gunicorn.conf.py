"""gunicorn settings for `make serve`, sized for the machine it runs on.

Threaded workers (gthread): the portal's requests wait mostly on PostgreSQL and Redis, so a few
processes per core, each with a few threads, keep both cores busy. Every figure has a
GUNICORN_* variable; docs/deploy.md explains how to size them for a bigger host.
"""

import multiprocessing
import os

cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", cores * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then, so a slow leak in a dependency cannot grow without bound; not
# too often, because a new worker spends about a second of CPU starting Django (a two-core host
# serves some 1,500 cached pages a second: 5,000 requests meant a restart every few seconds).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50000))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
limit_request_line = 4094
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# Addresses only: query strings can carry lookups such as booking codes.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# Only nginx (on this host unless told otherwise) may set X-Forwarded-Proto / -For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
