"""Where redhistory files are stored, and the URLs that lead to them through the permission check
in `media.protected_media` (kept apart from media.py so that models need not import the view)."""

from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.deconstruct import deconstructible


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
