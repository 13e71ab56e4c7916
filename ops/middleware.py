"""Request-level safeguards: no-store on private pages, the read audit, idle sessions, a 503 for outages."""

import logging
import time

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import audit
from .errors import DATABASE_ERRORS, service_unavailable
from .models import AccessLog

logger = logging.getLogger("ops")


def private(view):
    """Marks a view whose page shows personal data: it is sent with Cache-Control: no-store."""
    view.portal_private = True
    return view


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting gives a Chinese "try again" page (503), not a 500.

    Views run in their own transactions (services are atomic), so a write that failed half-way
    was rolled back by the database; the page says nothing was saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            # No request data in the log line: the form may hold personal data.
            logger.error(
                "Database unavailable on %s %s: %s", request.method, request.path, exception
            )
            return service_unavailable(request)
        return None


class PrivateNoStoreMiddleware:
    """Cache-Control: no-store on the admin, on the private path prefixes and on views marked
    with `ops.middleware.private`, so no browser or proxy keeps a copy of personal data."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "PORTAL_PRIVATE_PATH_PREFIXES", ["/admin/"]))

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) or getattr(request, "_portal_private", False):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "portal_private", False):
            request._portal_private = True


AUDITED_ADMIN_VIEWS = {
    "change": AccessLog.Action.VIEW,
    "history": AccessLog.Action.HISTORY,
    "simple_history": AccessLog.Action.HISTORY,
}


class SessionIdleMiddleware:
    """Keeps a session alive while it is used, writing it at most once a minute.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request: an admin
    list with fifty thumbnails is fifty writes of the same row at once, which SQLite refuses
    ("database table is locked") and PostgreSQL serialises for nothing. Here a request that used
    the session moves its expiry on only when the last move is PORTAL_SESSION_REFRESH seconds old,
    so a session still ends SESSION_COOKIE_AGE after the last use, give or take that much. Only the
    pages a person opens count as use, not the images and files a page pulls in beside it: those
    come in parallel and would all find the same minute over.
    Sits just inside SessionMiddleware, which saves what this marks as modified.
    """

    KEY = "_portal_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the request used (signed-in pages, the staff's thumbnails): an anonymous
        # visitor's cached page must not be made to vary on a cookie it never read.
        if session is None or not session.accessed or not session.session_key:
            return response
        if session.modified or response.status_code >= 500:
            return response
        if request.method in ("GET", "HEAD") and not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return response
        if int(time.time()) - session.get(self.KEY, 0) >= settings.PORTAL_SESSION_REFRESH:
            self.seen(session)
        return response

    @classmethod
    def seen(cls, session):
        """Marks the session used now: SessionMiddleware writes it, with a new expiry."""
        session[cls.KEY] = int(time.time())


class AuditReadMiddleware:
    """Logs every successful admin read of a full record of an audited model (who and when).

    Works from the admin's URL names (`<app>_<model>_change` with `object_id`), so the models'
    admin classes need no change.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.audited = {label.lower() for label in getattr(settings, "PORTAL_AUDITED_MODELS", [])}

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 200:
            if request.method in ("GET", "HEAD"):
                self.log(request)
            elif "attachment" in response.get("Content-Disposition", ""):
                self.log_export(request)
        return response

    def audited_model(self, prefix):
        for label in self.audited:
            app_label, model_name = label.split(".")
            if prefix == f"{app_label}_{model_name}":
                return apps.get_model(app_label, model_name)
        return None

    def log_export(self, request):
        """An admin export of an audited model (import-export's export view): one entry, "*"."""
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or match.namespace != "admin" or not match.url_name:
            return
        if user is None or not user.is_authenticated or not match.url_name.endswith("_export"):
            return
        model = self.audited_model(match.url_name[: -len("_export")])
        if model is not None:
            audit.record_read_by_id(user, model, "*", action=AccessLog.Action.EXPORT)

    def log(self, request):
        match = getattr(request, "resolver_match", None)
        if match is None or match.namespace != "admin" or "object_id" not in match.kwargs:
            return
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        for suffix, action in AUDITED_ADMIN_VIEWS.items():
            if not match.url_name.endswith("_" + suffix):
                continue
            model = self.audited_model(match.url_name[: -len(suffix) - 1])
            if model is not None:
                audit.record_read_by_id(
                    user, model, unquote(match.kwargs["object_id"]), action=action
                )
            return
