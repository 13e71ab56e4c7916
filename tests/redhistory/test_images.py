import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import RandomName, process_image


def image_bytes(fmt="JPEG", size=(64, 48), exif=None, mode="RGB"):
    buffer = io.BytesIO()
    image = Image.new(mode, size, "red")
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_jpeg_is_reencoded_without_its_gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[1] = "N"  # GPSLatitudeRef
    exif[0x0112] = 1
    processed = process_image(upload(image_bytes(exif=exif.tobytes())))
    with Image.open(io.BytesIO(processed.read())) as result:
        assert result.format == "JPEG"
        assert not result.getexif()


def test_an_image_with_exif_orientation_is_rotated_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    processed = process_image(upload(image_bytes(size=(80, 40), exif=exif.tobytes())))
    with Image.open(io.BytesIO(processed.read())) as result:
        assert result.size == (40, 80)


def test_html_behind_a_png_header_is_refused():
    fake = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError) as error:
        process_image(upload(fake, "x.png"))
    assert error.value.code == "not_an_image"


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as error:
        process_image(upload(image_bytes(size=(100, 100))))
    assert error.value.code == "bomb"


def test_an_oversize_file_is_refused(settings):
    settings.PORTAL_MAX_IMAGE_BYTES = 100
    with pytest.raises(ValidationError) as error:
        process_image(upload(image_bytes(size=(200, 200))))
    assert error.value.code == "too_large"


def test_a_transparent_png_stays_png():
    processed = process_image(upload(image_bytes("PNG", mode="RGBA"), "logo.png"))
    assert processed.name.endswith(".png")


def test_random_names_reveal_nothing_but_the_folder_and_extension():
    name = RandomName("artefacts")(None, "张三家书-身份证.JPG")
    assert name.startswith("artefacts/") and name.endswith(".jpg")
    assert "张三" not in name
