"""Red history files: stored under random names, served by permission.

Every redhistory file lives under `MEDIA_ROOT/redhistory/` (thumbnails under
`MEDIA_ROOT/thumbnails/<size>/redhistory/`) through `RedHistoryStorage` (storage.py), whose URLs point at
`redhistory:protected_media` rather than at MEDIA_URL. That view serves a file to anyone when it
belongs to a public record and otherwise only to staff who may view the record; in production it
hands the transfer to nginx with X-Accel-Redirect, and nginx serves those folders only as
`internal` locations, so no redhistory file is reachable by its plain MEDIA_URL (docs/redhistory.md).

Uploads are checked by `core.validators` (video and audio by their bytes, documents by extension).
"""

import posixpath

from django.http import Http404

from ops.media import protected_file_response

from . import renditions
from .storage import redhistory_storage

MEDIA_FOLDER = "redhistory"


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

    media_public = OralHistory.objects.public().without_withheld_passages()
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
    if folder == renditions.FOLDER and lookup == {"": name}:
        return _rendition_visibility(name, user)
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


def _rendition_visibility(name, user):
    """A muted public rendition (renditions.py) is public while it is the one its public story
    plays now; older ones, and any to staff who may view oral histories, stay with staff."""
    from .models import OralHistory

    stories = (
        OralHistory.objects.public()
        .filter(segments__restricted=True)
        .exclude(audio="", video="")
        .distinct()
        .prefetch_related("segments")
    )
    if any(renditions.public_recording(story)[0] == name for story in stories):
        return "public"
    if user.is_authenticated and user.is_staff and user.has_perm("redhistory.view_oralhistory"):
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
