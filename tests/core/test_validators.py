"""File validators: video and audio accepted by their bytes, documents by extension, one size
rule and one message for every kind of file."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import validators
from tests.admin_forms import (
    M4A_HEAD,
    MP3_FRAME,
    MP3_HEAD,
    MP4_HEAD,
    OGG_HEAD,
    WAV_HEAD,
    WEBM_HEAD,
    jpeg_bytes,
)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (MP4_HEAD, "mp4"),
        (M4A_HEAD, "m4a"),
        (WEBM_HEAD, "webm"),
        (MP3_HEAD, "mp3"),
        (MP3_FRAME, "mp3"),
        (WAV_HEAD, "wav"),
        (OGG_HEAD, "ogg"),
        (b"<html><script>alert(1)</script></html>", None),
        (b"%PDF-1.7\n", None),
        (b"\x1a\x45\xdf\xa3 matroska", None),
        (b"", None),
    ],
)
def test_sniff_names_the_container_from_the_first_bytes(head, kind):
    assert validators.sniff(head) == kind


@pytest.mark.parametrize(
    ("validator", "name", "content"),
    [
        (validators.validate_video, "interview.mp4", MP4_HEAD),
        (validators.validate_video, "interview.webm", WEBM_HEAD),
        (validators.validate_audio, "interview.mp3", MP3_HEAD),
        (validators.validate_audio, "interview.wav", WAV_HEAD),
        (validators.validate_audio, "interview.m4a", M4A_HEAD),
        (validators.validate_audio, "interview.ogg", OGG_HEAD),
    ],
)
def test_media_in_supported_formats_are_accepted(validator, name, content):
    validator(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("validator", "name", "content", "code"),
    [
        (validators.validate_video, "clip.mp4", b"<html>not a video</html>", "not_media"),
        (validators.validate_video, "clip.mp4", WAV_HEAD, "not_media"),
        (validators.validate_video, "clip.html", MP4_HEAD, "wrong_extension"),
        (validators.validate_audio, "voice.mp3", jpeg_bytes(), "not_media"),
        (validators.validate_audio, "voice.svg", OGG_HEAD, "wrong_extension"),
        (validators.validate_audio, "voice.mp3", b"", "empty"),
    ],
)
def test_other_files_are_refused_with_a_reason(validator, name, content, code):
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_media_above_the_limit_is_refused(settings):
    settings.PORTAL_MAX_MEDIA_BYTES = 50
    with pytest.raises(ValidationError) as error:
        validators.validate_video(SimpleUploadedFile("big.mp4", MP4_HEAD + b"\x00" * 100))
    assert error.value.code == "too_large"


def test_a_document_is_accepted_by_its_extension_within_the_document_limit(settings):
    settings.PORTAL_MAX_DOCUMENT_BYTES = 1024 * 1024
    validators.validate_document(SimpleUploadedFile("批复.PDF", b"%PDF-1.4"))
    with pytest.raises(ValidationError) as error:
        validators.validate_document(SimpleUploadedFile("批复.exe", b"MZ"))
    assert error.value.code == "not_document"
    with pytest.raises(ValidationError) as error:
        validators.validate_document(SimpleUploadedFile("批复.pdf", b"0" * (1024 * 1024 + 1)))
    assert error.value.code == "too_large"


@pytest.mark.parametrize(
    ("validator", "setting", "name", "head"),
    [
        (validators.validate_video, "PORTAL_MAX_MEDIA_BYTES", "big.mp4", MP4_HEAD),
        (validators.validate_audio, "PORTAL_MAX_MEDIA_BYTES", "big.mp3", MP3_HEAD),
        (validators.validate_document, "PORTAL_MAX_DOCUMENT_BYTES", "big.pdf", b"%PDF"),
    ],
)
def test_every_kind_of_file_says_too_large_in_one_chinese_sentence(
    settings, validator, setting, name, head
):
    setattr(settings, setting, 2 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile(name, head + b"\x00" * (2 * 1024 * 1024)))
    assert error.value.messages == ["文件过大：最大 2 MB。"]


def test_a_stored_file_is_not_checked_again():
    stored = SimpleUploadedFile("old.exe", b"MZ")
    stored._committed = True
    validators.validate_document(stored)
    validators.validate_video(stored)
