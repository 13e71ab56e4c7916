"""Where redhistory files are stored, and the URLs that lead to them through the permission check
in `media.protected_media` (kept apart from media.py so that models need not import the view).

The storage is `STORAGES["redhistory"]`: under MEDIA_ROOT, or in the bucket of the default
storage when MEDIA_STORAGE=s3 (config/settings.py), so a backup of the media finds them too."""

from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

from ops.media import ProtectedURLMixin


@deconstructible
class RedHistoryStorage(ProtectedURLMixin, FileSystemStorage):
    """MEDIA_ROOT storage whose URLs go through the permission-checking view."""

    url_name = "redhistory:protected_media"


@deconstructible
class RedHistoryS3Storage(ProtectedURLMixin, S3Storage):
    """The media bucket, with URLs that go through the permission-checking view."""

    url_name = "redhistory:protected_media"


def redhistory_storage():
    """The storage of every redhistory file (a callable, so migrations do not freeze it)."""
    return storages["redhistory"]
