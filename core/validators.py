"""File validators for every app: one size rule, one message style, content checked by bytes.

Video and audio are accepted by their first bytes (MP4/M4A `ftyp`, WebM/EBML, MP3 `ID3` or a frame
sync, WAV `RIFF…WAVE`, Ogg `OggS`), never by the name or the browser's content type; the name's
extension must agree with what the bytes are, so a file is never served as something else.
An MP4 (or M4A) must be a chain of well-formed boxes from `ftyp` to the end of the file with a
`moov` among them, a WebM an EBML header followed by a Segment: a valid header in front of HTML
is refused. Documents (deeds, release forms, construction papers) are accepted when their bytes
are what their extension says (PDF `%PDF-`, Word/Excel 97 OLE2, docx/xlsx a zip with the package's
parts, images decoded by Pillow) within PORTAL_MAX_DOCUMENT_BYTES; an image document is re-encoded
by `core.images.process_image` like every image field (no metadata, a pixel limit), in place,
before it is stored. A file already stored was checked when it came in: re-saving its record
does not reopen it.
"""

import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.files import check_size
from core.images import process_image

MESSAGE_EMPTY = _("The file is empty.")
MESSAGE_NOT_VIDEO = _("The file is not a video in a supported format (MP4 or WebM).")
MESSAGE_NOT_AUDIO = _("The file is not audio in a supported format (MP3, WAV, M4A, Ogg or WebM).")
MESSAGE_WRONG_EXTENSION = _(
    "The file name ends in “.%(extension)s” but the file is %(kind)s; rename it to .%(expected)s."
)
MESSAGE_NOT_DOCUMENT = _(
    "Upload a PDF, Word, Excel or image file (pdf, doc, docx, xls, xlsx, jpg, png)."
)
MESSAGE_DOCUMENT_CONTENT = _(
    "The file's content is not the %(kind)s its name says; save it again as a real %(kind)s."
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
    if kind not in formats or not _container_is_well_formed(value, kind):
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


# An MP4 box type is four printable characters (© starts Apple's metadata boxes).
MP4_BOX_TYPE = re.compile(rb"^[A-Za-z0-9 \xa9]{4}$")
MAX_MP4_BOXES = 10_000
EBML_HEADER = b"\x1a\x45\xdf\xa3"
EBML_SEGMENT = b"\x18\x53\x80\x67"
# The elements a WebM Segment may start with: SeekHead, Info, Tracks, Cluster, Cues, Tags,
# Chapters, Attachments, Void.
WEBM_LEVEL_ONE = {
    b"\x11\x4d\x9b\x74", b"\x15\x49\xa9\x66", b"\x16\x54\xae\x6b", b"\x1f\x43\xb6\x75",
    b"\x1c\x53\xbb\x6b", b"\x12\x54\xc3\x67", b"\x10\x43\xa7\x70", b"\x19\x41\xa4\x69",
}  # fmt: skip


def _handle(value):
    return value.file if hasattr(value, "file") else value


def _mp4_is_well_formed(handle, size):
    """Walks the top-level boxes (seeking, never reading a box's body)."""
    offset, types = 0, []
    while offset < size:
        handle.seek(offset)
        header = handle.read(16)
        if len(header) < 8 or not MP4_BOX_TYPE.match(header[4:8]):
            return False
        box_size = int.from_bytes(header[:4], "big")
        if box_size == 1:  # a 64-bit size follows the type
            box_size = int.from_bytes(header[8:16], "big") if len(header) == 16 else 0
        elif box_size == 0:  # the last box runs to the end of the file
            box_size = size - offset
        if box_size < 8 or offset + box_size > size or len(types) >= MAX_MP4_BOXES:
            return False
        types.append(header[4:8])
        offset += box_size
    return bool(types) and types[0] == b"ftyp" and b"moov" in types


def _vint(data, position):
    """An EBML variable-length integer at `position`: (value, length), or (None, 0)."""
    if position >= len(data) or data[position] == 0:
        return None, 0
    length = 9 - data[position].bit_length()
    if position + length > len(data):
        return None, 0
    value = data[position] & (0xFF >> length)
    for byte in data[position + 1 : position + length]:
        value = (value << 8) | byte
    return value, length


def _webm_is_well_formed(handle, size):
    """An EBML header element, then a Segment whose first child is a top-level WebM element."""
    handle.seek(0)
    head = handle.read(4096)
    header_size, length = _vint(head, 4)
    if header_size is None:
        return False
    segment = 4 + length + header_size
    if head[segment : segment + 4] != EBML_SEGMENT:
        return False
    segment_size, length = _vint(head, segment + 4)
    if segment_size is None:
        return False
    first_child = segment + 4 + length
    return head[first_child : first_child + 4] in WEBM_LEVEL_ONE or (
        head[first_child : first_child + 1] == b"\xec"  # Void
    )


CONTAINER_CHECKS = {"mp4": _mp4_is_well_formed, "m4a": _mp4_is_well_formed}
CONTAINER_CHECKS["webm"] = _webm_is_well_formed


def _container_is_well_formed(value, kind):
    check = CONTAINER_CHECKS.get(kind)
    if check is None:
        return True
    handle = _handle(value)
    position = handle.tell()
    try:
        return check(handle, value.size)
    finally:
        handle.seek(position)


def validate_video(value):
    _check_media(value, VIDEO_FORMATS, MESSAGE_NOT_VIDEO)


def validate_audio(value):
    _check_media(value, AUDIO_FORMATS, MESSAGE_NOT_AUDIO)


def _zip_names(value):
    handle = _handle(value)
    position = handle.tell()
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        handle.seek(position)


def _office_package(folder):
    def check(value, head):
        names = _zip_names(value) if head.startswith(b"PK\x03\x04") else set()
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> (what it is called in the message, a check of the bytes)
DOCUMENT_CONTENT = {
    "pdf": ("PDF", lambda value, head: head.startswith(b"%PDF-")),
    "doc": ("Word", lambda value, head: head.startswith(OLE2)),
    "xls": ("Excel", lambda value, head: head.startswith(OLE2)),
    "docx": ("Word", _office_package("word/")),
    "xlsx": ("Excel", _office_package("xl/")),
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png"}


def validate_document(value):
    """A paper (deed, release form, approval): a document or image within
    PORTAL_MAX_DOCUMENT_BYTES, whose bytes are what its extension says. An image is re-encoded in
    place (`value`'s file and name are replaced), so the stored file carries no metadata."""
    if not _is_new_upload(value):
        return
    check_size(value, settings.PORTAL_MAX_DOCUMENT_BYTES)
    extension = _extension(value)
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(MESSAGE_NOT_DOCUMENT, code="not_document")
    if extension in IMAGE_EXTENSIONS:
        _reencode_image(value)
        return
    kind, check = DOCUMENT_CONTENT[extension]
    if not check(value, _read_head(value, 8)):
        raise ValidationError(
            MESSAGE_DOCUMENT_CONTENT, code="document_content", params={"kind": kind}
        )


def _reencode_image(value):
    clean = process_image(_handle(value))
    if hasattr(value, "field"):  # a model's FieldFile: it stores what it holds now
        value.file = clean
        value.name = clean.name
