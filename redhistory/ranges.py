"""HTTP Range requests for the files Django itself streams (development, tests, no nginx).

A browser seeks in a recording only when the server answers `Range: bytes=a-b` with 206 Partial
Content; without it Chromium treats audio and video as a stream and a segment link cannot jump.
In production nginx sends the bytes (X-Accel-Redirect) and answers ranges itself, so `accept_ranges`
leaves any response that is not a streamed file untouched.

A range is streamed in CHUNK_SIZE pieces, never read whole: `bytes=0-` of a 2 GB recording would
otherwise load 2 GB into one worker.
"""

import functools
import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Response headers a partial answer keeps from the full one.
KEPT_HEADERS = ["Content-Type", "Cache-Control", "Content-Disposition", "Vary", "Last-Modified"]
CHUNK_SIZE = 64 * 1024


class _FileRange:
    """The `length` bytes of `handle` from `start`, CHUNK_SIZE at a time. The response calls
    `close` when it is done or the client went away, whether or not a chunk was ever read."""

    def __init__(self, handle, start, length):
        self.handle, self.start, self.length = handle, start, length

    def __iter__(self):
        self.handle.seek(self.start)
        remaining = self.length
        while remaining > 0:
            chunk = self.handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk

    def close(self):
        self.handle.close()


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
    partial = StreamingHttpResponse(_FileRange(handle, start, end - start + 1), status=206)
    partial["Content-Length"] = str(end - start + 1)
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
