"""HTTP Range requests for the files Django itself streams (development, tests, no nginx).

A browser seeks in a recording only when the server answers `Range: bytes=a-b` with 206 Partial
Content; without it Chromium treats audio and video as a stream and a segment link cannot jump.
In production nginx sends the bytes (X-Accel-Redirect) and answers ranges itself, so `accept_ranges`
leaves any response that is not a streamed file untouched.
"""

import functools
import re

from django.http import FileResponse, HttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Response headers a partial answer keeps from the full one.
KEPT_HEADERS = ["Content-Type", "Cache-Control", "Content-Disposition", "Vary", "Last-Modified"]


def _partial(request, response):
    match = RANGE.match(request.headers.get("Range", "").strip())
    handle = response.file_to_stream
    if not match or handle is None or not hasattr(handle, "seek"):
        return None
    size = int(response["Content-Length"])
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start >= size or start > end:
        unsatisfiable = HttpResponse(status=416)
        unsatisfiable["Content-Range"] = f"bytes */{size}"
        handle.close()
        return unsatisfiable
    handle.seek(start)
    partial = HttpResponse(handle.read(end - start + 1), status=206)
    # Only the file is closed: HttpResponse.close() would send request_finished in the middle of
    # this request, and Django's handler for it closes the database connection.
    handle.close()
    for header in KEPT_HEADERS:
        if header in response:
            partial[header] = response[header]
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Accept-Ranges"] = "bytes"
    return partial


def accept_ranges(view):
    """Wraps a view that returns a FileResponse so it answers single byte ranges."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        if "Content-Length" not in response:
            return response
        partial = _partial(request, response) if "Range" in request.headers else None
        if partial is not None:
            return partial
        response["Accept-Ranges"] = "bytes"
        return response

    return wrapper
