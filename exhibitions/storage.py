"""Construction-milestone documents (approvals, plans, acceptance papers): internal papers, so
their URLs lead to `views.milestone_document`, which serves them to staff who may view the
milestone's base and is a 404 for everyone else, under DEBUG as in production. The storage is
`STORAGES["documents"]`: MEDIA_ROOT or the media bucket, as MEDIA_STORAGE says."""

from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

from ops.media import ProtectedURLMixin

FOLDER = "exhibitions/documents"


@deconstructible
class DocumentStorage(ProtectedURLMixin, FileSystemStorage):
    url_name = "exhibitions:milestone-document"


@deconstructible
class DocumentS3Storage(ProtectedURLMixin, S3Storage):
    url_name = "exhibitions:milestone-document"


def document_storage():
    """A callable, so migrations do not freeze the storage."""
    return storages["documents"]
