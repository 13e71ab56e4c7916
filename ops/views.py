import logging
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from . import wechat
from .errors import DATABASE_ERRORS, service_unavailable

logger = logging.getLogger(__name__)


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


@require_GET
def wechat_signature(request):
    """The JS-SDK signature for one of the portal's own pages (`?url=`), for static/js/
    wechat-share.js; 404 when WeChat is not configured, 503 when WeChat does not answer."""
    if not wechat.configured():
        raise Http404
    url = request.GET.get("url", "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != request.get_host():
        return JsonResponse({"error": "url"}, status=400)
    try:
        values = wechat.signature(url)
    except (OSError, ValueError, KeyError, wechat.WeChatError):
        logger.exception("WeChat JS-SDK signature failed")
        return JsonResponse({"error": "wechat"}, status=503)
    response = JsonResponse(values)
    response["Cache-Control"] = "no-store"
    return response
