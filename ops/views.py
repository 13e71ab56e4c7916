import sys

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .errors import DATABASE_ERRORS, service_unavailable


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
