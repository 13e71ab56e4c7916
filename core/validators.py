"""File validators for every app: one size rule, one message style, content checked by bytes.

Video and audio are accepted by their first bytes (MP4/M4A `ftyp`, WebM/EBML, MP3 `ID3` or a frame
sync, WAV `RIFF…WAVE`, Ogg `OggS`), never by the name or the browser's content type; the name's
extension must agree with what the bytes are, so a file is never served as something else.
Documents (deeds, release forms, construction papers) are accepted by extension within
PORTAL_MAX_DOCUMENT_BYTES. Images go through `core.images.process_image`, which uses the same size
rule. A file already stored was checked when it came in: re-saving its record does not reopen it.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_TOO_LARGE = _("The file is too large: at most %(limit)s MB.")
MESSAGE_EMPTY = _("The file is empty.")
MESSAGE_NOT_VIDEO = _("The file is not a video in a supported format (MP4 or WebM).")
MESSAGE_NOT_AUDIO = _("The file is not audio in a supported format (MP3, WAV, M4A, Ogg or WebM).")
MESSAGE_WRONG_EXTENSION = _(
    "The file name ends in “.%(extension)s” but the file is %(kind)s; rename it to .%(expected)s."
)
MESSAGE_NOT_DOCUMENT = _(
    "Upload a PDF, Word, Excel or image file (pdf, doc, docx, xls, xlsx, jpg, png)."
)

MESSAGE_CONTROL_CHARACTERS = _(
    "The text contains invisible control characters; please type it again without them."
)

# C0 control characters other than tab, line feed and carriage return: nobody types them, and a
# workbook cannot hold them (openpyxl raises IllegalCharacterError on export).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

DOCUMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"}

# container name -> file extensions it may carry
VIDEO_FORMATS = {"mp4": {"mp4", "m4v", "mov"}, "webm": {"webm"}}
AUDIO_FORMATS = {
    "mp3": {"mp3"},
    "wav": {"wav"},
    "m4a": {"m4a", "mp4", "aac"},
    "ogg": {"ogg", "oga", "opus"},
    "webm": {"webm", "weba"},
}


def validate_no_control_characters(value):
    """Refuses text carrying a C0 control character (public forms; import cells, as row errors)."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(MESSAGE_CONTROL_CHARACTERS, code="control_characters")


def check_size(value, limit):
    """Refuses a file above `limit` bytes, naming the limit in whole megabytes."""
    if value.size is not None and value.size > limit:
        raise ValidationError(
            MESSAGE_TOO_LARGE, code="too_large", params={"limit": limit // (1024 * 1024)}
        )


def sniff(head):
    """Names the media container of a file from its first bytes, or returns None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return "m4a" if brand in {b"M4A ", b"M4B ", b"M4P "} else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head[:64] else None
    if head.startswith(b"ID3"):
        return "mp3"
    # An MPEG audio frame: 11 sync bits, then a layer that is not "reserved".
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and head[1] & 0x06:
        return "mp3"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return "ogg"
    return None


def _read_head(value, size=64):
    handle = value.file if hasattr(value, "file") else value
    position = handle.tell() if hasattr(handle, "tell") else 0
    handle.seek(0)
    head = handle.read(size)
    handle.seek(position)
    return head


def _extension(value):
    name = value.name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_new_upload(value):
    return bool(value) and not getattr(value, "_committed", False)


def _check_media(value, formats, not_media_message):
    if not _is_new_upload(value):
        return
    check_size(value, settings.PORTAL_MAX_MEDIA_BYTES)
    if not value.size:
        raise ValidationError(MESSAGE_EMPTY, code="empty")
    kind = sniff(_read_head(value))
    if kind not in formats:
        raise ValidationError(not_media_message, code="not_media")
    extension = _extension(value)
    if extension not in formats[kind]:
        raise ValidationError(
            MESSAGE_WRONG_EXTENSION,
            code="wrong_extension",
            params={
                "extension": extension,
                "kind": kind.upper(),
                "expected": sorted(formats[kind])[0],
            },
        )


def validate_video(value):
    _check_media(value, VIDEO_FORMATS, MESSAGE_NOT_VIDEO)


def validate_audio(value):
    _check_media(value, AUDIO_FORMATS, MESSAGE_NOT_AUDIO)


def validate_document(value):
    """A paper (deed, release form, approval): a document or image within PORTAL_MAX_DOCUMENT_BYTES."""
    if not _is_new_upload(value):
        return
    check_size(value, settings.PORTAL_MAX_DOCUMENT_BYTES)
    if _extension(value) not in DOCUMENT_EXTENSIONS:
        raise ValidationError(MESSAGE_NOT_DOCUMENT, code="not_document")
