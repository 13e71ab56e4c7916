"""Image uploads for every app: checked to be images, re-encoded, named so they reveal nothing.

An uploaded image is opened by Pillow limited to the formats we accept (so a PNG header in front of
HTML fails), refused above its decompression-bomb limit or the size limit, rotated upright from its
EXIF orientation and re-encoded from its pixels alone (no EXIF location, no comment, no profile). Lists show fixed-size
thumbnails, generated when the image is stored.

Use `PortalImageField` on a model; `thumbnail_url(fieldfile, "small")` (or the `thumbnail`
template filter in `portal_images`) in lists.
"""

import io
import uuid
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.files import check_size

ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
THUMBNAIL_SIZES = {"small": 360, "medium": 960}

MESSAGE_NOT_AN_IMAGE = _("The file is not an image in a supported format (JPEG, PNG, WebP or GIF).")
MESSAGE_TOO_MANY_PIXELS = _("The image has too many pixels to be processed safely.")


@deconstructible
class RandomName:
    """upload_to that stores files under a random name in a folder, keeping only the extension."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def process_image(uploaded):
    """Returns a re-encoded copy of an uploaded image, or raises ValidationError in Chinese."""
    check_size(uploaded, settings.PORTAL_MAX_IMAGE_BYTES)
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the bomb limit and twice it; treat that as a bomb too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded, formats=ACCEPTED_FORMATS) as probe:
                probe.verify()
            uploaded.seek(0)
            with Image.open(uploaded, formats=ACCEPTED_FORMATS) as image:
                image.load()
                source_format = image.format
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(MESSAGE_TOO_MANY_PIXELS, code="bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(MESSAGE_NOT_AN_IMAGE, code="not_an_image") from None
    finally:
        uploaded.seek(0)

    keep_alpha = source_format in {"PNG", "GIF", "WEBP"} and upright.mode in {"RGBA", "LA", "P"}
    mode = "RGBA" if keep_alpha else "RGB"
    # Only the pixels go on: Pillow writes a JPEG's comment (and other `info`) back when saving
    # a converted copy, and a polyglot's HTML can live in that comment.
    pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    output = io.BytesIO()
    if keep_alpha:
        clean.save(output, "PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        clean.save(output, "JPEG", quality=88, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    return SimpleUploadedFile(f"image.{extension}", output.getvalue(), content_type=content_type)


class PortalImageFormField(forms.ImageField):
    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if cleaned and cleaned is not initial and hasattr(cleaned, "read"):
            return process_image(cleaned)
        return cleaned


class PortalImageField(models.ImageField):
    """An ImageField whose uploads are checked and re-encoded, stored under random names."""

    def __init__(self, *args, folder="images", **kwargs):
        kwargs.setdefault("upload_to", RandomName(folder))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PortalImageFormField, **kwargs})

    def pre_save(self, model_instance, add):
        fieldfile = super().pre_save(model_instance, add)
        if fieldfile and getattr(fieldfile, "_committed", True):
            make_thumbnails(fieldfile)
        return fieldfile


def thumbnail_name(name, size):
    stem = name.rsplit(".", 1)[0]
    return f"thumbnails/{size}/{stem}.jpg"


def make_thumbnails(fieldfile):
    """Writes the fixed-size thumbnails of a stored image (once; they never change)."""
    storage = fieldfile.storage
    missing = [
        size for size in THUMBNAIL_SIZES if not storage.exists(thumbnail_name(fieldfile.name, size))
    ]
    if not missing:
        return
    try:
        with storage.open(fieldfile.name, "rb") as handle, Image.open(handle) as image:
            image.load()
            rgb = image.convert("RGB")
    except (OSError, UnidentifiedImageError):
        return
    for size in missing:
        copy = rgb.copy()
        copy.thumbnail((THUMBNAIL_SIZES[size], THUMBNAIL_SIZES[size]))
        output = io.BytesIO()
        copy.save(output, "JPEG", quality=82, optimize=True)
        storage.save(thumbnail_name(fieldfile.name, size), ContentFile(output.getvalue()))


def thumbnail_url(fieldfile, size="small"):
    """The URL of a stored image's thumbnail; no storage access, so lists stay cheap."""
    if not fieldfile:
        return ""
    if size not in THUMBNAIL_SIZES:
        raise ValueError(f"Unknown thumbnail size {size!r}")
    return fieldfile.storage.url(thumbnail_name(fieldfile.name, size))
