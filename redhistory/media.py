"""Red history files: checked by content, stored under random names, served by permission.

Every redhistory file lives under `MEDIA_ROOT/redhistory/` (thumbnails under
`MEDIA_ROOT/thumbnails/<size>/redhistory/`) through `RedHistoryStorage`, whose URLs point at
`redhistory:protected_media` rather than at MEDIA_URL. That view serves a file to anyone when it
belongs to a public record and otherwise only to staff who may view the record; in production it
hands the transfer to nginx with X-Accel-Redirect, and nginx serves those folders only as
`internal` locations, so no redhistory file is reachable by its plain MEDIA_URL (docs/redhistory.md).

Video and audio are accepted by their first bytes (MP4/M4A `ftyp`, WebM/EBML, MP3 `ID3` or a frame
sync, WAV `RIFF…WAVE`, Ogg `OggS`), never by the name or the browser's content type; the name's
extension must agree with what the bytes are, so a file is never served as something else.
"""

import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from ops.media import protected_file_response

MEDIA_FOLDER = "redhistory"

MESSAGE_NOT_VIDEO = _("The file is not a video in a supported format (MP4 or WebM).")
MESSAGE_NOT_AUDIO = _("The file is not audio in a supported format (MP3, WAV, M4A, Ogg or WebM).")
MESSAGE_WRONG_EXTENSION = _(
    "The file name ends in “.%(extension)s” but the file is %(kind)s; rename it to .%(expected)s."
)
MESSAGE_MEDIA_TOO_LARGE = _("The file is too large: at most %(limit)s MB.")
MESSAGE_EMPTY = _("The file is empty.")
MESSAGE_NOT_DOCUMENT = _(
    "Upload a PDF, Word, Excel or image file (pdf, doc, docx, xls, xlsx, jpg, png)."
)

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


def _is_new_upload(value):
    # A file already stored was checked when it came in; re-saving the record must not reopen it.
    return bool(value) and not getattr(value, "_committed", False)


def _check_media(value, formats, not_media_message):
    if not _is_new_upload(value):
        return
    limit = settings.PORTAL_MAX_MEDIA_BYTES
    if value.size is not None and value.size > limit:
        raise ValidationError(
            MESSAGE_MEDIA_TOO_LARGE, code="too_large", params={"limit": limit // (1024 * 1024)}
        )
    if not value.size:
        raise ValidationError(MESSAGE_EMPTY, code="empty")
    kind = sniff(_read_head(value))
    if kind not in formats:
        raise ValidationError(not_media_message, code="not_media")
    name = value.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
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
    """A deed or a release form: a document or image within PORTAL_MAX_DOCUMENT_BYTES."""
    if not _is_new_upload(value):
        return
    limit = settings.PORTAL_MAX_DOCUMENT_BYTES
    if value.size is not None and value.size > limit:
        raise ValidationError(
            MESSAGE_MEDIA_TOO_LARGE, code="too_large", params={"limit": limit // (1024 * 1024)}
        )
    name = value.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(MESSAGE_NOT_DOCUMENT, code="not_document")


@deconstructible
class RedHistoryStorage(FileSystemStorage):
    """MEDIA_ROOT storage whose URLs go through the permission-checking view."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def url(self, name):
        if name is None:
            raise ValueError("This file is not accessible via a URL.")
        return reverse("redhistory:protected_media", args=[name.lstrip("/")])


_storage = None


def redhistory_storage():
    """The storage of every redhistory file (a callable, so migrations do not freeze it)."""
    global _storage
    if _storage is None:
        _storage = RedHistoryStorage()
    return _storage


def normalise(path):
    """The stored name a requested path stands for, or None if it leaves the redhistory folders."""
    clean = posixpath.normpath(path).lstrip("/")
    if clean != path or ".." in clean.split("/"):
        return None
    parts = clean.split("/")
    if parts[0] == MEDIA_FOLDER and len(parts) >= 3:
        return clean
    if parts[0] == "thumbnails" and len(parts) >= 4 and parts[2] == MEDIA_FOLDER:
        return clean
    return None


def _owners():
    """For each folder: the model and field holding its files, who may see them publicly
    (a queryset of public owners, or None: staff only) and the permission staff need."""
    from .models import (
        Artefact,
        ArtefactImage,
        FieldVisitPhoto,
        MicroFilm,
        OralHistory,
        OralHistoryPhoto,
        Release,
        Veteran,
    )

    media_public = (
        OralHistory.objects.public()
        .exclude(transcript__contains="[restricted]")
        .exclude(segments__restricted=True)
    )
    return {
        "redhistory/portraits": (Veteran, "portrait", Veteran.objects.public(), "view_veteran"),
        "redhistory/visits": (FieldVisitPhoto, "image", None, "view_fieldvisit"),
        "redhistory/artefacts": (
            ArtefactImage,
            "image",
            ArtefactImage.objects.filter(artefact__in=Artefact.objects.public()),
            "view_artefact",
        ),
        "redhistory/deeds": (Artefact, "deed", None, "view_artefact"),
        # A recording cannot be cut, so one with withheld passages stays with staff.
        "redhistory/oral/video": (OralHistory, "video", media_public, "view_oralhistory"),
        "redhistory/oral/audio": (OralHistory, "audio", media_public, "view_oralhistory"),
        "redhistory/oral/photos": (
            OralHistoryPhoto,
            "image",
            OralHistoryPhoto.objects.filter(oral_history__in=OralHistory.objects.public()),
            "view_oralhistory",
        ),
        "redhistory/releases": (Release, "form", None, "view_oralhistory"),
        "redhistory/films": (MicroFilm, "video", MicroFilm.objects.public(), "view_microfilm"),
        "redhistory/films/posters": (
            MicroFilm,
            "poster",
            MicroFilm.objects.public(),
            "view_microfilm",
        ),
    }


def file_owner_visibility(name, user):
    """Returns "public", "staff" or None (nobody here may have it) for a stored file name."""
    if name.startswith("thumbnails/"):
        stem = name.split("/", 2)[2].rsplit(".", 1)[0]
        folder = posixpath.dirname(stem)
        lookup = {"__startswith": stem + "."}
    else:
        folder = posixpath.dirname(name)
        lookup = {"": name}
    owner = _owners().get(folder)
    if owner is None:
        return None
    model, field, public, permission = owner
    condition = {f"{field}{suffix}": value for suffix, value in lookup.items()}
    if public is not None and public.filter(**condition).exists():
        return "public"
    if (
        user.is_authenticated
        and user.is_staff
        and user.has_perm(f"redhistory.{permission}")
        and model.objects.filter(**condition).exists()
    ):
        return "staff"
    return None


def protected_media(request, path):
    """Serves a redhistory file: to anyone if its record is public, else to permitted staff,
    through ops.media.protected_file_response (nginx's X-Accel-Redirect in production)."""
    name = normalise(path)
    if name is None:
        raise Http404
    visibility = file_owner_visibility(name, request.user)
    storage = redhistory_storage()
    if visibility is None or not storage.exists(name):
        raise Http404
    return protected_file_response(storage, name, public=visibility == "public")


def serve_unprotected(request, path, document_root=None, show_indexes=False):
    """DEBUG's plain MEDIA_URL server: every file except redhistory's, which go through
    `protected_media` so that development behaves as production."""
    from django.views.static import serve

    if normalise(path) is not None or path.lstrip("/").startswith(MEDIA_FOLDER + "/"):
        raise Http404
    if path.startswith("thumbnails/") and f"/{MEDIA_FOLDER}/" in path:
        raise Http404
    return serve(request, path, document_root=document_root, show_indexes=show_indexes)
