import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import FileField
from django.db.models.fields.files import FieldFile

from ops.media import protected_file_response


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = storages["default"].save("exhibitions/documents/批复.pdf", ContentFile(b"%PDF-1.4"))
    field = FileField(name="document")
    return FieldFile(None, field, name)


def test_with_nginx_the_file_goes_out_through_x_accel(settings, stored):
    settings.PORTAL_PROTECTED_MEDIA_ACCEL = "/protected-media/"
    response = protected_file_response(stored)
    assert response["X-Accel-Redirect"].startswith("/protected-media/exhibitions/documents/")
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_without_nginx_django_streams_the_file(settings, stored):
    settings.PORTAL_PROTECTED_MEDIA_ACCEL = ""
    response = protected_file_response(stored)
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
