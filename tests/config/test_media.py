"""Private files behind their views: milestone documents to staff only, and DEBUG's plain media
server refusing every private folder by name, as nginx does in production."""

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import reverse

from config.views import serve_media
from exhibitions.models import ConstructionMilestone
from tests.factories.accounts import UserFactory
from tests.factories.exhibitions import EducationBaseFactory
from tests.factories.redhistory import ArtefactFactory, ArtefactImageFactory

PDF = b"%PDF-1.4\n% approval\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def milestone(media_root, own_base):
    milestone, _ = ConstructionMilestone.objects.get_or_create(base=own_base, stage="approval")
    milestone.document.save("approval.pdf", ContentFile(PDF))
    return milestone


@pytest.mark.parametrize("accel", ["", "/protected-media/"])
def test_staff_open_a_milestone_document_and_the_public_gets_a_404(
    client, milestone, bureau_staff, settings, accel
):
    settings.PORTAL_PROTECTED_MEDIA_ACCEL = accel
    url = milestone.document.url
    assert url == reverse("exhibitions:milestone-document", args=[milestone.document.name])
    assert client.get(url).status_code == 404
    client.force_login(bureau_staff)
    response = client.get(url)
    assert response.status_code == 200
    if accel:
        assert response["X-Accel-Redirect"] == f"/protected-media/{milestone.document.name}"
    else:
        assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("debug", [False, True])
def test_the_document_view_answers_alike_under_debug(client, milestone, debug):
    with override_settings(DEBUG=debug):
        assert client.get(milestone.document.url).status_code == 404


def test_a_base_administrator_opens_only_their_own_bases_documents(
    client, milestone, base_admin, media_root
):
    other, _ = ConstructionMilestone.objects.get_or_create(
        base=EducationBaseFactory(slug="elsewhere"), stage="approval"
    )
    other.document.save("other.pdf", ContentFile(PDF))
    client.force_login(base_admin)
    assert client.get(milestone.document.url).status_code == 200
    assert client.get(other.document.url).status_code == 404


def test_a_name_no_milestone_holds_is_a_404_even_for_staff(client, milestone, bureau_staff):
    client.force_login(bureau_staff)
    url = reverse("exhibitions:milestone-document", args=["exhibitions/documents/nope.pdf"])
    assert client.get(url).status_code == 404


def test_debug_media_server_refuses_private_folders_by_name(milestone, media_root):
    image = ArtefactImageFactory(artefact=ArtefactFactory(published=True))
    request = RequestFactory().get("/media/x")
    request.user = UserFactory(is_superuser=True)
    for path in [
        image.image.name,
        f"thumbnails/small/{image.image.name[:-4]}.jpg",
        milestone.document.name,
        "./" + milestone.document.name,
    ]:
        with pytest.raises(Http404):
            serve_media(request, path, document_root=media_root)
