import posixpath

from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """A plain 200 for load balancers, after touching the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to; it lives with the static files."""
    return redirect(static("img/favicon.ico"), permanent=True)


def serve_media(request, path, document_root=None, show_indexes=False):
    """DEBUG's plain MEDIA_URL server: the default storage's public images only. Red-history
    files and milestone documents (and their thumbnails) go through the views that check who may
    have them, so development refuses a guessed name as nginx does in production."""
    from django.views.static import serve

    from exhibitions.storage import FOLDER as DOCUMENTS
    from redhistory.media import MEDIA_FOLDER as REDHISTORY

    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("thumbnails/"):
        name = name.split("/", 2)[-1]
    if name.startswith((REDHISTORY + "/", DOCUMENTS + "/")):
        raise Http404
    return serve(request, path, document_root=document_root, show_indexes=show_indexes)


@require_GET
def robots_txt(request):
    """Search engines may index the public pages, never the admin or the staff reports."""
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /reports/",
        "Disallow: /i18n/",
        "Disallow: /visits/booking/",
        "Disallow: /visits/check-in/",
        "Allow: /",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
