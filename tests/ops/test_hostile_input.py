"""Input that attacks: markup in every text field renders escaped on the public pages, text that
a spreadsheet would run as a formula is defused in every export, and image uploads that lie
about their type, bombs and oversize files are refused and store nothing."""

import io
import os
import struct
import zipfile
import zlib

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.functions import Cast, Concat
from django.forms import modelform_factory
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from import_export.mixins import BaseExportMixin, BaseImportMixin
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from PIL import Image

from core.images import PortalImageField
from core.imports import PortalImportExportMixin
from core.validators import validate_document, validate_video
from core.widgets import PortalResource
from tests.admin_forms import MP4_HEAD, WEBM_HEAD
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
                # PostgreSQL refuses a value longer than the column (SQLite stores it): cut it
                # to fit, keeping its start, which is what makes it hostile.
                value = value_for(model, field, n)
                updates[field.name] = models.Value(value[: field.max_length or None])
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


def test_every_export_survives_stored_control_characters(demo, db, rf):
    """One visitor's \\x07 once failed every later export of its table (IllegalCharacterError)."""
    poison(lambda model, field, n: f"响铃\x07{n}\x1b[0m", min_length=8)
    superuser = get_user_model().objects.create_superuser("control-root", password=None)
    request = rf.get("/admin/")
    request.user = superuser
    checked = []
    for model_admin in export_admins():
        queryset = model_admin.get_export_queryset(request)[:100]
        for resource_class in model_admin.get_export_resource_classes(request):
            resource = resource_class(**model_admin.get_export_resource_kwargs(request))
            content = XLSX().export_data(resource.export(queryset=queryset))
            sheet = load_workbook(io.BytesIO(content)).active
            cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
            assert any(isinstance(value, str) and "响铃" in value for value in cells)
            assert not any(isinstance(value, str) and "\x07" in value for value in cells)
            checked.append(resource_class.__name__)
    assert len(checked) >= 5


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


# Spreadsheet imports -----------------------------------------------------------------------

SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)


def handmade_xlsx(rows_xml, dimension=None):
    """An xlsx written by hand, as an attacker would: any <dimension>, any cells."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    )
    sheet = SHEET_XML.format(
        dimension=f'<dimension ref="{dimension}"/>' if dimension else "", rows=rows_xml
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def inline_row(number, values, first_column=1):
    cells = "".join(
        f'<c r="{get_column_letter(first_column + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def import_admins():
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, BaseImportMixin)
    ]


def import_url(model_admin):
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")


def post_import(client, model_admin, content, name="名单.xlsx"):
    page = client.get(import_url(model_admin))
    choices = page.context["form"].fields["format"].choices
    fmt = next(str(i) for i, label in choices if name.rsplit(".", 1)[1] in str(label).lower())
    upload = SimpleUploadedFile(name, content)
    return client.post(
        import_url(model_admin), {"import_file": upload, "format": fmt, "resource": "0"}
    )


def refusal(response):
    assert response.status_code == 200
    assert "result" not in response.context or response.context["result"] is None
    return " ".join(response.context["form"].errors.get("import_file", []))


def test_every_import_admin_reads_through_the_guard_and_every_resource_is_a_portal_one(rf):
    admins = import_admins()
    assert len(admins) >= 5
    assert [a for a in admins if not isinstance(a, PortalImportExportMixin)] == []
    request = rf.get("/admin/")
    request.user = get_user_model()(is_superuser=True)
    resources = {
        resource
        for model_admin in export_admins() + admins
        for resource in model_admin.get_resource_classes(request)
    }
    assert len(resources) >= 5
    assert [r for r in resources if not issubclass(r, PortalResource)] == []


@pytest.fixture
def root_client(client, db):
    root = get_user_model().objects.create_superuser("import-root", password=None)
    client.force_login(root)
    return client


def test_a_small_xlsx_declaring_a_whole_sheet_is_refused_by_every_import_view(root_client):
    # openpyxl pads every missing row up to the last one to the declared width: read naively,
    # a million lists of 16,384 cells.
    bomb = handmade_xlsx(inline_row(1, ["姓名"]) + inline_row(1048576, ["张三"]), "A1:XFD1048576")
    assert len(bomb) < 5 * 1024
    for model_admin in import_admins():
        message = refusal(post_import(root_client, model_admin, bomb))
        assert "行" in message and "1048576" not in message, (model_admin, message)


def test_a_sheet_that_lies_about_its_size_is_refused_while_its_rows_stream(root_client, settings):
    settings.PORTAL_MAX_IMPORT_ROWS = 50
    settings.PORTAL_MAX_IMPORT_COLUMNS = 20
    rows = "".join(inline_row(n, ["x"]) for n in range(1, 200))
    lying = handmade_xlsx(rows, "A1:A2")
    wide = handmade_xlsx(inline_row(1, ["姓名"]) + inline_row(2, ["x"], first_column=16384))
    gap = handmade_xlsx(inline_row(1, ["姓名"]) + inline_row(1048576, ["x"]))
    csv_long = ("姓名\n" + "x\n" * 200).encode()
    model_admin = import_admins()[0]
    assert "50" in refusal(post_import(root_client, model_admin, lying))
    assert "50" in refusal(post_import(root_client, model_admin, gap))
    assert "20" in refusal(post_import(root_client, model_admin, wide))
    assert "50" in refusal(post_import(root_client, model_admin, csv_long, name="名单.csv"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(root_client, settings):
    settings.PORTAL_MAX_IMPORT_BYTES = 4096
    big = handmade_xlsx("".join(inline_row(n, [os.urandom(8).hex()]) for n in range(1, 400)))
    assert len(big) > 4096
    for model_admin in import_admins():
        assert "MB" in refusal(post_import(root_client, model_admin, big))


# Documents and video: checked by content -------------------------------------------------


def document_fields():
    return [
        (model, field)
        for model in crawler.portal_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and validate_document in field.validators
    ]


def png_declaring(width, height):
    """A tiny PNG whose header declares width × height pixels (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


POLYGLOT_COMMENT = b"<html><script>alert('polyglot')</script></html>"


def jpeg_with_gps_and_comment():
    image = Image.new("RGB", (40, 30), "darkred")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (37.0, 41.0, 12.5), 3: "E", 4: (112.0, 45.0, 3.0)}
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif.tobytes(), comment=POLYGLOT_COMMENT)
    return output.getvalue()


def hostile_documents():
    html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
    return {
        "html named pdf": ("release.pdf", html),
        "html named docx": ("release.docx", html),
        "html named doc": ("release.doc", html),
        "zip named xlsx": ("release.xlsx", zip_of({"evil.html": html})),
        "html named jpg": ("deed.jpg", html),
        "html behind a png signature": ("deed.png", b"\x89PNG\r\n\x1a\n" + html),
        "30000x30000 png": ("deed.png", png_declaring(30000, 30000)),
    }


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def real_documents():
    book = io.BytesIO()
    Workbook().save(book)
    return {
        "pdf": ("批复.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"),
        "xlsx": ("清单.xlsx", book.getvalue()),
        "docx": (
            "协议.docx",
            zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
        ),
        "doc": ("协议.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
    }


def document_form(model, field, name, content):
    form_class = modelform_factory(model, fields=[field.name])
    form = form_class(data={}, files={field.name: SimpleUploadedFile(name, content)})
    form.is_valid()
    return form


@pytest.mark.django_db
def test_every_document_field_refuses_files_whose_content_is_not_what_they_say(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fields = document_fields()
    assert len(fields) >= 3  # deeds, release forms, construction documents
    for model, field in fields:
        for label, (name, content) in hostile_documents().items():
            form = document_form(model, field, name, content)
            assert field.name in form.errors, f"{model.__name__}.{field.name} accepted {label}"
            message = " ".join(form.errors[field.name])
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
        for label, (name, content) in real_documents().items():
            form = document_form(model, field, name, content)
            assert field.name not in form.errors, (model.__name__, label, form.errors)


@pytest.mark.django_db
def test_an_image_document_is_stored_re_encoded_without_gps_or_comment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    original = jpeg_with_gps_and_comment()
    with Image.open(io.BytesIO(original)) as image:
        assert image.info.get("comment") == POLYGLOT_COMMENT and image.getexif().get_ifd(0x8825)
    for model, field in document_fields():
        form = document_form(model, field, "地契.jpg", original)
        assert field.name not in form.errors, form.errors
        fieldfile = getattr(form.instance, field.name)
        fieldfile.save(fieldfile.name, fieldfile.file, save=False)
        with fieldfile.storage.open(fieldfile.name, "rb") as handle:
            stored = handle.read()
        assert fieldfile.name.endswith(".jpg")
        assert b"<script" not in stored and b"PhoneMaker" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert "comment" not in image.info and "exif" not in image.info
            assert not image.getexif()


@pytest.mark.django_db
def test_every_image_field_drops_a_jpegs_comment_and_gps(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for model, field in portal_image_fields():
        form_class = modelform_factory(model, fields=[field.name])
        upload = SimpleUploadedFile("照片.jpg", jpeg_with_gps_and_comment())
        form = form_class(data={}, files={field.name: upload})
        form.is_valid()
        assert field.name not in form.errors, form.errors
        cleaned = form.cleaned_data[field.name].read()
        assert b"<script" not in cleaned and b"PhoneMaker" not in cleaned


def video_fields():
    return [
        (model, field)
        for model in crawler.portal_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and validate_video in field.validators
    ]


@pytest.mark.django_db
def test_every_video_field_checks_the_container_beyond_its_header(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    html = b"<html><body><script>alert(1)</script></body></html>" * 4
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    hostile = {
        "mp4 header then html": ("clip.mp4", ftyp + html),
        "mp4 boxes without moov": ("clip.mp4", ftyp + b"\x00\x00\x00\x10free" + b"\x00" * 8),
        "box overrunning the file": ("clip.mp4", ftyp + b"\x00\x01\x00\x00moov" + html),
        "webm header then html": ("clip.webm", WEBM_HEAD[:19] + html),
    }
    fields = video_fields()
    assert len(fields) >= 2
    for model, field in fields:
        for label, (name, content) in hostile.items():
            form = document_form(model, field, name, content)
            assert field.name in form.errors, f"{model.__name__}.{field.name} accepted {label}"
        for name, content in [("clip.mp4", MP4_HEAD), ("clip.webm", WEBM_HEAD)]:
            form = document_form(model, field, name, content)
            assert field.name not in form.errors, (name, form.errors)
