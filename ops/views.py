import sys

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .middleware import DATABASE_ERRORS


def service_unavailable(request=None):
    """The "try again" page, rendered without touching the database (no context processors)."""
    html = loader.render_to_string(
        "503.html",
        {"site_name": settings.PORTAL_SITE_NAME, "platform_name": settings.PORTAL_PLATFORM_NAME},
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: an outage met outside a view (sessions, authentication) is still a 503."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return service_unavailable(request)
    html = loader.render_to_string(
        template_name,
        {"site_name": settings.PORTAL_SITE_NAME, "platform_name": settings.PORTAL_PLATFORM_NAME},
    )
    return HttpResponseServerError(html)
