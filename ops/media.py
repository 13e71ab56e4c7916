"""Serving a private file (a document, unpublished media) only after the view has checked access.

`protected_file_response(fieldfile)`: in production nginx sends the file itself — the view
answers with an empty response carrying `X-Accel-Redirect` to an `internal` location
(PORTAL_PROTECTED_MEDIA_ACCEL, e.g. "/protected-media/"; see docs/deploy/nginx.conf); with object
storage, a short-lived signed URL; in development Django streams the file.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers


def protected_file_response(fieldfile, *, filename=None, inline=False):
    name = fieldfile.name
    download = filename or name.rsplit("/", 1)[-1]
    disposition = "inline" if inline else "attachment"
    accel = getattr(settings, "PORTAL_PROTECTED_MEDIA_ACCEL", "")
    if settings.MEDIA_STORAGE == "s3":
        response = HttpResponseRedirect(fieldfile.storage.url(name))
    elif accel:
        response = HttpResponse()
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
        response["Content-Type"] = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(download)}"
    else:
        response = FileResponse(fieldfile.open("rb"), as_attachment=not inline, filename=download)
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    return response
