"""Serving a private file only after the view has checked who may have it.

`protected_file_response(storage, name, public=...)`: with PORTAL_PROTECTED_MEDIA_ACCEL set
(production, "/protected-media/", the `internal` location of docs/deploy/nginx.conf) the view
answers with an empty response carrying X-Accel-Redirect, and nginx sends the bytes; unset,
Django streams the file (development and tests). Images, audio, video and PDF are shown inline;
anything else is an attachment, so a browser never renders a stored file as a page.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control

INLINE_TYPES = ("image/", "video/", "audio/", "application/pdf")


def protected_file_response(storage, name, *, public=False):
    """`public`: the file belongs to a public record, so shared caches may keep it an hour;
    otherwise `private, no-store`."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = settings.PORTAL_PROTECTED_MEDIA_ACCEL
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    if not content_type.startswith(INLINE_TYPES):
        response["Content-Disposition"] = "attachment"
    if public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
