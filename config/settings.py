"""Settings for the Jinzhong Party-building portal, read from the environment (twelve-factor).

Every variable is documented in `.env.example`. Development works with no variables at all;
production (DJANGO_DEBUG=False) refuses to start without a real secret key and allowed hosts.
"""

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# Tests and management commands run with DEBUG off too, so "production" means: a deployment
# that has said so, either by leaving debug off and naming its hosts, or explicitly.
TESTING = env.bool("DJANGO_TESTING", default="pytest" in sys.modules)
if not DEBUG and not TESTING:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when "
            'DJANGO_DEBUG is False. Generate one with: python -c "from '
            'django.core.management.utils import get_random_secret_key as k; print(k())"'
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the host names the portal answers to when "
            "DJANGO_DEBUG is False, e.g. DJANGO_ALLOWED_HOSTS=dangjian.example.gov.cn"
        )
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "core.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "core",
    "branches",
    "members",
    "redhistory",
    "exhibitions",
    "visits",
    "reports",
    "ops",
]

# The bureau's own apps, in the order their data depends on one another: roles are granted over
# their models (core.roles), their pages are cached and invalidated per app (ops.cache), each
# contributes its sitemap and demo step.
PORTAL_APPS = ["branches", "members", "redhistory", "exhibitions", "visits"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that touches the database, so a database outage becomes a 503 page.
    "ops.middleware.DatabaseUnavailableMiddleware",
    "ops.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ops.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ops.middleware.AuditReadMiddleware",
    # Last: axes must see the login attempt after authentication has run.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+address is refused before the password is checked.
    "ops.auth.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL=redis://host:6379/0 selects Redis through a wrapper that turns a Redis outage into
# cache misses; anything else goes through django-environ (locmem by default).
CACHE_URL = env.str("CACHE_URL", default="locmemcache://")


def cache_config(url):
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "ops.cache_backend.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=600),
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            },
        }
    return environ.Env.cache_url_config(url)


CACHES = {"default": cache_config(CACHE_URL)}
# Cached public pages (ops.cache) may live in a cache of their own, e.g. a second Redis with
# `allkeys-lru`: a flood of page variants then evicts only pages, never the rate-limit counters
# and check-in tokens of the default cache (docs/deploy.md).
PAGE_CACHE_URL = env.str("PAGE_CACHE_URL", default="")
if PAGE_CACHE_URL:
    CACHES["pages"] = cache_config(PAGE_CACHE_URL)
PORTAL_PAGE_CACHE_ALIAS = "pages" if PAGE_CACHE_URL else "default"
# Public pages are served from the cache for anonymous visitors (ops.cache.public_page). Off by
# default with the per-process locmem cache outside development and tests: each gunicorn worker
# would keep its own pages and a change would invalidate only one worker's. False renders every
# request, e.g. while tracing a page's content.
PORTAL_PAGE_CACHE = env.bool(
    "PORTAL_PAGE_CACHE",
    default=DEBUG or TESTING or not (PAGE_CACHE_URL or CACHE_URL).startswith("locmem"),
)
# Sessions survive a cache outage and are shared by every app server (they live in the database,
# read through the cache).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        # OWASP ASVS 2.1.1: at least 12 characters, no composition rules (ASVS 2.1.9).
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The project's own catalogue first (makemessages writes there), then its overrides of Django's
# and the libraries' Chinese; both come before every app's catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "overrides" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# MEDIA_STORAGE=s3 puts every stored file on S3-compatible object storage (django-storages),
# configured by the AWS_* variables; filesystem keeps them under MEDIA_ROOT. One switch for all
# storages: "default" (images of public records), "redhistory" (red-history files) and
# "documents" (construction-milestone papers), the last two with URLs that lead through a
# permission check (redhistory.storage, exhibitions.storage); `backup` reads all three. Objects stay private (signed URLs) unless AWS_S3_CUSTOM_DOMAIN is public.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    _storage_options = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
        "location": env.str("AWS_LOCATION", default="media"),
        "default_acl": env.str("AWS_DEFAULT_ACL", default="private"),
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
        "file_overwrite": False,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
    }
    _media_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _storage_options}
    _redhistory_storage = {
        "BACKEND": "redhistory.storage.RedHistoryS3Storage",
        "OPTIONS": _storage_options,
    }
    _document_storage = {
        "BACKEND": "exhibitions.storage.DocumentS3Storage",
        "OPTIONS": _storage_options,
    }
elif MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _redhistory_storage = {"BACKEND": "redhistory.storage.RedHistoryStorage"}
    _document_storage = {"BACKEND": "exhibitions.storage.DocumentStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _media_storage,
    "redhistory": _redhistory_storage,
    "documents": _document_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development and tests serve static files straight from the app and project folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

LOGIN_URL = "admin:login"

# Background tasks (yearly reports): django-tasks' database backend and its worker.
TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}

# django-import-export: import and export are separate permissions, never open to every admin.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# An upload waits for its confirm step under a folder of its user and session (core.imports);
# the web hosts must share this folder, or the confirm must reach the host of the preview.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "core.imports.SessionTempStorage"
PORTAL_IMPORT_TMP_DIR = env.str(
    "PORTAL_IMPORT_TMP_DIR", default=str(Path(tempfile.gettempdir()) / "portal-imports")
)

# simple-history's version pages are read-only (core.scoped_admin.HistoryAdmin refuses every
# POST); staff correct a record through its change form and its services (docs/security.md).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Party dues: a month's dues fall due when the month ends (0), or on this day of the month
# (1–28) for branches that collect within the month.
PORTAL_DUES_DAY = env.int("PORTAL_DUES_DAY", default=0)
if not 0 <= PORTAL_DUES_DAY <= 28:
    raise ImproperlyConfigured("PORTAL_DUES_DAY is a day of the month from 1 to 28, or 0.")

# Upload limits, enforced in form validation (FILE_UPLOAD_MAX_MEMORY_SIZE is not a limit).
PORTAL_MAX_IMAGE_BYTES = env.int("PORTAL_MAX_IMAGE_BYTES", default=20 * 1024 * 1024)
PORTAL_MAX_DOCUMENT_BYTES = env.int("PORTAL_MAX_DOCUMENT_BYTES", default=50 * 1024 * 1024)
PORTAL_MAX_MEDIA_BYTES = env.int("PORTAL_MAX_MEDIA_BYTES", default=2 * 1024 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Spreadsheet imports (core.imports): refused above these before a row is read.
PORTAL_MAX_IMPORT_BYTES = env.int("PORTAL_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
PORTAL_MAX_IMPORT_ROWS = env.int("PORTAL_MAX_IMPORT_ROWS", default=100_000)
PORTAL_MAX_IMPORT_COLUMNS = env.int("PORTAL_MAX_IMPORT_COLUMNS", default=100)

# Security: on by default in production, each with its own switch. Behind nginx, which sets
# X-Forwarded-Proto; DJANGO_SECURE_SSL_REDIRECT=False lets a loopback benchmark run plain HTTP.
PRODUCTION = not DEBUG and not TESTING
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sessions end after two hours of inactivity, and when the browser closes. The expiry moves
# on with use at most once a minute (ops.middleware.SessionIdleMiddleware), not on every request.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
PORTAL_SESSION_REFRESH = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content Security Policy (django-csp 4): only the site's own scripts and styles, no inline code,
# no plugins, no <base>, never framed. Media on another origin (object storage) is named here.
PORTAL_MEDIA_ORIGINS = env.list("PORTAL_MEDIA_ORIGINS", default=[])
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        # Bootstrap's and the admin's icons are data: SVGs inside their stylesheets.
        "img-src": [_SELF, "data:", *PORTAL_MEDIA_ORIGINS],
        "media-src": [_SELF, *PORTAL_MEDIA_ORIGINS],
        "font-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": [_SELF],
    }
}

# Login throttling (django-axes): five failures within the rolling window lock that username from
# that address only, so an attacker elsewhere cannot lock staff out; the lock lifts by itself.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_USE_ATTEMPT_EXPIRATION = True  # failures older than the cool-off no longer count
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ops/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password"]
# The client address, for django-axes and for ops.ratelimit alike (both call axes'
# get_client_ip_address): REMOTE_ADDR, unless the environment names the header nginx overwrites
# with the address it saw (docs/deploy/nginx.conf: X-Real-IP), e.g. HTTP_X_REAL_IP,REMOTE_ADDR.
# X-Forwarded-For is refused: nginx appends to what the client sent, and ipware's proxy count
# only finds the client when the chain has exactly that length, so honest visitors get None.
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"]
)
if "HTTP_X_FORWARDED_FOR" in AXES_IPWARE_META_PRECEDENCE_ORDER:
    raise ImproperlyConfigured(
        "AXES_IPWARE_META_PRECEDENCE_ORDER: read HTTP_X_REAL_IP (set by nginx), not "
        "HTTP_X_FORWARDED_FOR, which a client can write to."
    )

# Reads of a full personal record that are logged (ops.AccessLog): the admin change view of
# these models. Other views call ops.audit.record_read themselves.
PORTAL_AUDITED_MODELS = ["members.member", "redhistory.veteran"]
# Private files (red-history media) go out through nginx's internal location with
# X-Accel-Redirect when this is set (ops.media, docs/deploy/nginx.conf); empty: Django streams them.
PORTAL_PROTECTED_MEDIA_ACCEL = env.str("PORTAL_PROTECTED_MEDIA_ACCEL", default="")
# Files no URL serves (yearly-report jobs and workbooks, reports.storage). With the web and the
# worker on different hosts this must be a folder both mount.
PORTAL_PRIVATE_ROOT = env.path("PORTAL_PRIVATE_ROOT", default=BASE_DIR / "private")
# Views whose pages show personal data are sent with Cache-Control: no-store; the admin always.
PORTAL_PRIVATE_PATH_PREFIXES = ["/admin/", "/reports/"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

PORTAL_SITE_NAME = _("Jinzhong Municipal Party Committee Veteran Cadres Bureau")
PORTAL_PLATFORM_NAME = _("Party-building Work Platform of the Jinzhong Veteran Cadres Bureau")

# The footer every Chinese government site carries (主办单位, address, telephone and its two
# filing numbers). Blank values are left out; a deployment sets them before going live.
PORTAL_HOST_ORGANISATION = env.str("PORTAL_HOST_ORGANISATION", default="")
PORTAL_ADDRESS = env.str("PORTAL_ADDRESS", default="")
PORTAL_PHONE = env.str("PORTAL_PHONE", default="")
PORTAL_ICP_NUMBER = env.str("PORTAL_ICP_NUMBER", default="")  # e.g. 晋ICP备12345678号-1
PORTAL_PSB_NUMBER = env.str("PORTAL_PSB_NUMBER", default="")  # e.g. 晋公网安备14070202000123号

# WeChat JS-SDK share cards (reports.wechat): off unless both are set. The API's base URL is a
# setting so the tests can point it at a fake server on loopback.
WECHAT_APP_ID = env.str("WECHAT_APP_ID", default="")
WECHAT_APP_SECRET = env.str("WECHAT_APP_SECRET", default="")
WECHAT_API_BASE = env.str("WECHAT_API_BASE", default="https://api.weixin.qq.com")
