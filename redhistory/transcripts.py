"""The one rule for a transcript's withheld passages, used by every public reader: the oral
history page (`parts`), the search (`PublicTranscript`, in the database) and
`OralHistory.public_transcript`.

A passage is `[restricted]…[/restricted]`; an unclosed `[restricted]` withholds the rest of the
text, so a typo in the markup cannot publish what was meant to be withheld.
"""

import re

from django.db.models import Func, TextField
from django.utils.html import escape

OPENING_MARK = "[restricted]"
RESTRICTED_PASSAGE = re.compile(r"\[restricted\].*?(?:\[/restricted\]|$)", re.DOTALL)
# The same pattern for PostgreSQL's regexp_replace, whose '.' matches newlines by default.
_SQL_PATTERN = r"\[restricted\].*?(\[/restricted\]|$)"
SQLITE_FUNCTION = "redhistory_public_text"


def parts(transcript):
    """The transcript as a list of ("text", passage) and ("withheld", "") parts."""
    transcript = transcript or ""
    found, position = [], 0
    for match in RESTRICTED_PASSAGE.finditer(transcript):
        if match.start() > position:
            found.append(("text", transcript[position : match.start()]))
        found.append(("withheld", ""))
        position = match.end()
    if position < len(transcript):
        found.append(("text", transcript[position:]))
    return [(kind, text) for kind, text in found if kind == "withheld" or text.strip()]


def public_text(transcript, withheld=" "):
    """The transcript with each withheld passage replaced by `withheld` (a space keeps the
    words on either side apart for search)."""
    if transcript is None:
        return None
    return "".join(withheld if kind == "withheld" else text for kind, text in parts(transcript))


class PublicTranscript(Func):
    """The public part of a transcript column, computed by the database."""

    output_field = TextField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"regexp_replace(%(expressions)s, '{_SQL_PATTERN}', ' ', 'g')",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        # SQLite has no regexp_replace: the Python rule, registered on the connection.
        connection.connection.create_function(SQLITE_FUNCTION, 1, public_text, deterministic=True)
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_sql(self, compiler, connection, **extra_context):
        if "template" not in extra_context and "function" not in extra_context:
            # Any other database: no way to cut the passages out, so never match a transcript.
            extra_context["template"] = "''"
        return super().as_sql(compiler, connection, **extra_context)


def lines(transcript):
    """The public transcript as lines: ("text", line) or ("withheld", "") for each passage kept
    back, in order. The page shows them and the captions time them, index for index."""
    found = []
    for kind, text in parts(transcript):
        if kind == "withheld":
            found.append((kind, ""))
            continue
        found.extend(("text", line.strip()) for line in text.splitlines() if line.strip())
    return found


def _stamp(seconds):
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def webvtt(transcript, segments, duration, withheld):
    """WebVTT captions from a transcript and its segments [(start_seconds, restricted)].

    The public lines are shared out among the segments in order (one each when they are as many,
    as the demo's are), each segment's time among its lines by their length. A restricted
    segment shows `withheld` for its whole time, whatever its lines say, and a withheld passage
    of the transcript shows `withheld` too. Cue identifiers are `line-<index>` of `lines()`."""
    found = lines(transcript)
    segments = sorted(segments) or [(0, False)]
    if not found:
        return "WEBVTT\n"
    end = duration or (segments[-1][0] + 10 * len(found))
    windows = [
        (start, segments[n + 1][0] if n + 1 < len(segments) else end, restricted)
        for n, (start, restricted) in enumerate(segments)
    ]
    shares = [[] for _ in windows]
    for index, line in enumerate(found):
        shares[index * len(windows) // len(found)].append((index, line))
    cues = []
    for (start, stop, restricted), share in zip(windows, shares, strict=True):
        if not share or stop <= start:
            continue
        weights = [max(len(text), 8) for _index, (_kind, text) in share]
        at = start
        for (index, (kind, text)), weight in zip(share, weights, strict=True):
            length = (stop - start) * weight / sum(weights)
            shown = withheld if restricted or kind == "withheld" else text
            # cue text is markup: escape it, and never let it end the cue's timing line
            shown = escape(shown).replace("--&gt;", "→")
            cues.append(f"line-{index}\n{_stamp(at)} --> {_stamp(at + length)}\n{shown}\n")
            at += length
    return "WEBVTT\n\n" + "\n".join(cues)


def withheld_ranges(segments, duration):
    """The stretches of a recording a visitor must not hear: each restricted segment, from its
    start to the next segment's (or the end: `duration`, None when unknown), as [(start, end)]."""
    segments = sorted(segments)
    ranges = []
    for n, (start, restricted) in enumerate(segments):
        if restricted:
            end = segments[n + 1][0] if n + 1 < len(segments) else duration
            ranges.append((start, end))
    return ranges


def recording_withheld_whole(transcript, segments):
    """Whether no rendition can be made public: the transcript withholds a passage but no
    segment says where it is in the recording."""
    return bool(RESTRICTED_PASSAGE.search(transcript or "")) and not any(
        restricted for _start, restricted in segments
    )
