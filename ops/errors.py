"""What an outage looks like: the database errors that mean "down or restarting", and the
Chinese 503 page shown for them, by the middleware (inside a view) and by handler500 (outside)."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

DATABASE_ERRORS = (OperationalError, InterfaceError)


def service_unavailable(request=None):
    """The "try again" page, rendered without touching the database (no context processors)."""
    html = loader.render_to_string(
        "503.html",
        {"site_name": settings.PORTAL_SITE_NAME, "platform_name": settings.PORTAL_PLATFORM_NAME},
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response
