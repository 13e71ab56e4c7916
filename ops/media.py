"""Serving a private file only after the view has checked who may have it.

`protected_file_response(storage, name, public=...)`: with PORTAL_PROTECTED_MEDIA_ACCEL set
(production, "/protected-media/", the `internal` locations of docs/deploy/nginx.conf) the view
answers with an empty response carrying X-Accel-Redirect, and nginx sends the bytes: from the
disk (`/protected-media/<name>`), or from the bucket (`/protected-media/s3/<signed path>`, which
nginx proxies to the S3 endpoint, byte ranges included); unset, Django streams the file
(development and tests). No worker ever holds a recording in memory behind nginx.

`ProtectedURLMixin`: a storage whose `url()` is the permission-checking view's, never the file's
own address (a path under MEDIA_URL or a signed bucket URL). Images, audio, video and PDF are shown inline;
anything else is an attachment, so a browser never renders a stored file as a page.
"""

import mimetypes
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

INLINE_TYPES = ("image/", "video/", "audio/", "application/pdf")


def protected_file_response(storage, name, *, public=False):
    """`public`: the file belongs to a public record, so shared caches may keep it an hour;
    otherwise `private, no-store`."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = settings.PORTAL_PROTECTED_MEDIA_ACCEL
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_path(storage, name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    if not content_type.startswith(INLINE_TYPES):
        response["Content-Disposition"] = "attachment"
    if public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def accel_path(storage, name):
    """Where nginx's internal locations find a stored file (docs/deploy/nginx.conf)."""
    prefix = settings.PORTAL_PROTECTED_MEDIA_ACCEL.rstrip("/")
    if hasattr(storage, "bucket_name"):
        # A signed URL of the bucket, minus its scheme and host: nginx proxies it to the endpoint.
        url = urlsplit(storage_url(storage, name))
        return f"{prefix}/s3{url.path}" + (f"?{url.query}" if url.query else "")
    return f"{prefix}/{quote(name)}"


def storage_url(storage, name):
    """The storage's own URL of a file, past any ProtectedURLMixin."""
    if isinstance(storage, ProtectedURLMixin):
        return super(ProtectedURLMixin, storage).url(name)
    return storage.url(name)


class ProtectedURLMixin:
    """For a storage class: URLs go to the view named `url_name` (one argument: the stored name),
    which checks who may have the file before it answers with `protected_file_response`."""

    url_name = None

    def url(self, name, *args, **kwargs):
        if name is None:
            raise ValueError("This file is not accessible via a URL.")
        return reverse(self.url_name, args=[name.lstrip("/")])
