"""The one rule for a transcript's withheld passages, used by every public reader: the oral
history page (`parts`), the search (`PublicTranscript`, in the database) and
`OralHistory.public_transcript`.

A passage is `[restricted]…[/restricted]`; an unclosed `[restricted]` withholds the rest of the
text, so a typo in the markup cannot publish what was meant to be withheld.
"""

import re

from django.db.models import Func, TextField

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
