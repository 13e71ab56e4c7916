"""Input that attacks: markup in every text field renders escaped on the public pages, text that
a spreadsheet would run as a formula is defused in every export, and image uploads that lie
about their type, bombs and oversize files are refused and store nothing."""

import io
import os

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.functions import Cast, Concat
from django.forms import modelform_factory
from import_export.formats.base_formats import XLSX
from import_export.mixins import BaseExportMixin
from openpyxl import load_workbook
from PIL import Image

from core.images import PortalImageField
from tests.ops import crawler

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
SKIPPED_TEXT = (models.SlugField, models.URLField, models.EmailField)


def text_fields(model, *, min_length=1):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, SKIPPED_TEXT)
            and not field.choices
            and not field.primary_key
            and (field.max_length or 10_000) >= min_length
            and field.editable
        ):
            yield field


def poison(value_for, *, min_length):
    """Writes `value_for(model, field, n)` into every text field of every portal row."""
    n = 0
    for model in crawler.portal_models():
        updates = {}
        for field in text_fields(model, min_length=min_length):
            n += 1
            if field.unique:
                updates[field.name] = Concat(
                    models.Value(value_for(model, field, n)[:8]),
                    Cast("pk", models.CharField()),
                    output_field=models.CharField(),
                )
            else:
                updates[field.name] = models.Value(value_for(model, field, n))
        if updates:
            model._base_manager.update(**updates)
    cache.clear()
    return n


def test_markup_in_every_text_field_renders_escaped_on_public_pages(demo, db):
    poisoned = poison(lambda model, field, n: f'<i id="xss{n}">\'"&', min_length=20)
    assert poisoned > 10
    pages, _media, errors = crawler.crawl(limit=150)
    assert errors == []
    raw = {url for url, page in pages.items() if '<i id="xss' in page}
    assert raw == set()
    escaped = {url for url, page in pages.items() if "&lt;i id=&quot;xss" in page}
    assert "/" in escaped and any(url.startswith("/bases/") for url in escaped)


def export_admins():
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, BaseExportMixin)
    ]


def test_every_export_defuses_spreadsheet_formulas(demo, db, rf):
    triggers = ['=HYPERLINK("http://x")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]
    poison(lambda model, field, n: triggers[n % len(triggers)], min_length=8)
    superuser = get_user_model().objects.create_superuser("formula-root", password=None)
    request = rf.get("/admin/")
    request.user = superuser
    checked = []
    assert export_admins(), "no admin offers exports"
    for model_admin in export_admins():
        queryset = model_admin.get_export_queryset(request)[:100]
        assert queryset.exists(), f"the demo has no {model_admin.model._meta.label} to export"
        for resource_class in model_admin.get_export_resource_classes(request):
            resource = resource_class(**model_admin.get_export_resource_kwargs(request))
            dataset = resource.export(queryset=queryset)
            content = XLSX().export_data(dataset)
            sheet = load_workbook(io.BytesIO(content)).active
            bad = [
                cell.value
                for row in sheet.iter_rows(min_row=2)
                for cell in row
                if cell.data_type == "f"
                or isinstance(cell.value, str)
                and cell.value.startswith(FORMULA_TRIGGERS)
            ]
            assert bad == [], f"{resource_class.__name__} exports formulas: {bad[:5]}"
            checked.append(resource_class.__name__)
    assert checked


# Uploads ---------------------------------------------------------------------------------


def portal_image_fields():
    return [
        (model, field)
        for model in crawler.portal_models()
        for field in model._meta.concrete_fields
        if isinstance(field, PortalImageField)
    ]


def png_bytes(size=(40, 30), mode="RGB"):
    output = io.BytesIO()
    Image.new(mode, size, "red").save(output, "PNG")
    return output.getvalue()


def noise_png():
    """A real PNG that does not compress: about 480 KB."""
    output = io.BytesIO()
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture(scope="module")
def bomb():
    output = io.BytesIO()
    Image.new("1", (20000, 20000)).save(output, "PNG", optimize=True)
    return output.getvalue()


def hostile_files(bomb):
    return {
        "html with a PNG header": SimpleUploadedFile(
            "photo.png",
            b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
            content_type="image/png",
        ),
        "script named jpg": SimpleUploadedFile(
            "photo.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg"
        ),
        "svg": SimpleUploadedFile(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            content_type="image/svg+xml",
        ),
        "decompression bomb": SimpleUploadedFile("bomb.png", bomb, content_type="image/png"),
        "oversize": SimpleUploadedFile("big.png", noise_png(), content_type="image/png"),
    }


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_every_portal_image_field_refuses_hostile_uploads_and_stores_nothing(
    settings, tmp_path, bomb
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_MAX_IMAGE_BYTES = 64 * 1024
    fields = portal_image_fields()
    assert len(fields) >= 3
    for model, field in fields:
        for name, upload in hostile_files(bomb).items():
            form_class = modelform_factory(model, fields=[field.name])
            form = form_class(data={}, files={field.name: upload})
            assert not form.is_valid(), f"{model.__name__}.{field.name} accepted {name}"
            message = " ".join(form.errors[field.name])
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert stored_files(tmp_path / "media") == []


@pytest.mark.django_db
def test_a_real_image_is_accepted_and_re_encoded_without_metadata(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for model, field in portal_image_fields():
        form_class = modelform_factory(model, fields=[field.name])
        upload = SimpleUploadedFile("照片.png", png_bytes(), content_type="image/png")
        form = form_class(data={}, files={field.name: upload})
        form.is_valid()
        assert field.name not in form.errors, form.errors
        cleaned = form.cleaned_data[field.name]
        assert cleaned.name in ("image.jpg", "image.png")
        with Image.open(cleaned) as image:
            assert image.format in ("JPEG", "PNG")
            assert not image.getexif()
