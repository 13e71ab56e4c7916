"""Video and audio are accepted by their bytes; a rejected upload stores nothing and says why in
Chinese; files of anything not public reach only permitted staff."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from redhistory.models import OralHistory
from tests.admin_forms import (
    MP3_HEAD,
    MP4_HEAD,
    WAV_HEAD,
    form_data,
    jpeg_bytes,
)
from tests.factories.redhistory import (
    ArtefactFactory,
    ArtefactImageFactory,
    OralHistoryFactory,
    VeteranFactory,
)

pytestmark = pytest.mark.django_db


def stored_files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_rejected_video_upload_stores_nothing_and_says_why_in_chinese(staff_client, media_root):
    story = OralHistoryFactory()
    url = reverse("admin:redhistory_oralhistory_change", args=[story.pk])
    data = form_data(staff_client.get(url))
    data["title"] = "改过的标题"
    data["video"] = SimpleUploadedFile("clip.mp4", b"<html><script>x</script></html>")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "文件不是支持的视频格式" in response.content.decode()
    assert stored_files(media_root) == []
    story.refresh_from_db()
    assert story.title != "改过的标题" and not story.video


def test_an_accepted_video_is_stored_under_a_random_name(staff_client, media_root):
    story = OralHistoryFactory()
    url = reverse("admin:redhistory_oralhistory_change", args=[story.pk])
    data = form_data(staff_client.get(url))
    data["video"] = SimpleUploadedFile("王老访谈 第一集.mp4", MP4_HEAD)
    data["audio"] = SimpleUploadedFile("voice.MP3", MP3_HEAD)
    assert staff_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.video.name.startswith("redhistory/oral/video/")
    assert "王老" not in story.video.name and story.video.name.endswith(".mp4")
    assert story.audio.name.endswith(".mp3")


def test_a_fake_image_in_an_artefact_is_refused(staff_client, media_root):
    artefact = ArtefactFactory()
    url = reverse("admin:redhistory_artefact_change", args=[artefact.pk])
    data = form_data(staff_client.get(url))
    data["images-TOTAL_FORMS"] = "1"
    data["images-0-order"] = "0"
    data["images-0-image"] = SimpleUploadedFile(
        "photo.png", b"\x89PNG\r\n\x1a\n<html>not really</html>"
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert artefact.images.count() == 0
    assert stored_files(media_root) == []


# Serving ---------------------------------------------------------------------------------


def test_redhistory_file_urls_go_through_the_protected_view():
    image = ArtefactImageFactory()
    assert image.image.url.startswith("/red-memory/media/redhistory/artefacts/")
    assert image.image.url.endswith(".jpg")


def test_images_of_a_public_artefact_are_served_to_anyone(anonymous):
    image = ArtefactImageFactory(artefact=ArtefactFactory(published=True))
    response = anonymous.get(image.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    from core.images import thumbnail_url

    assert anonymous.get(thumbnail_url(image.image)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 404), ("secretary_client", 404), ("staff_client", 200), ("manager_client", 200)],
)
def test_images_of_an_unpublished_artefact_reach_only_staff_who_may_view_it(
    request, persona, status
):
    client = request.getfixturevalue(persona)
    image = ArtefactImageFactory(artefact=ArtefactFactory(published=False))
    response = client.get(image.image.url)
    assert response.status_code == status
    if status == 200:
        assert "no-store" in response["Cache-Control"]


def test_a_deed_is_never_public(client, bureau_staff):
    artefact = ArtefactFactory(published=True)
    artefact.deed.save("deed.pdf", ContentFile(b"%PDF-1.4 signed"))
    assert client.get(artefact.deed.url).status_code == 404
    client.force_login(bureau_staff)
    response = client.get(artefact.deed.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_recording_with_withheld_passages_stays_with_staff(anonymous):
    open_story = OralHistoryFactory(published=True, transcript="全部可以公开。")
    open_story.video.save("a.mp4", ContentFile(MP4_HEAD))
    withheld = OralHistoryFactory(published=True)  # its transcript has a [restricted] passage
    withheld.video.save("b.mp4", ContentFile(MP4_HEAD))
    assert OralHistory.objects.public().count() == 2
    assert anonymous.get(open_story.video.url).status_code == 200
    assert anonymous.get(withheld.video.url).status_code == 404


def test_a_portrait_is_public_only_with_consent(anonymous):
    shown = VeteranFactory(public_profile=True)
    shown.portrait.save("p.jpg", ContentFile(jpeg_bytes()))
    private = VeteranFactory(public_profile=False)
    private.portrait.save("q.jpg", ContentFile(jpeg_bytes()))
    assert anonymous.get(shown.portrait.url).status_code == 200
    assert anonymous.get(private.portrait.url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "redhistory/../secret.txt",
        "../config/settings.py",
        "bases/cover.jpg",
        "redhistory/artefacts/missing.jpg",
        "redhistory//artefacts/x.jpg",
    ],
)
def test_paths_outside_the_stored_files_are_not_found(staff_client, path):
    url = reverse("redhistory:protected_media", args=[path])
    assert staff_client.get(url).status_code == 404


def test_with_nginx_the_view_hands_the_transfer_over_and_sends_no_bytes(
    settings, anonymous, bureau_staff
):
    settings.PORTAL_PROTECTED_MEDIA_ACCEL = "/protected-media/"
    image = ArtefactImageFactory(artefact=ArtefactFactory(published=True))
    response = anonymous.get(image.image.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + image.image.name
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    assert "public" in response["Cache-Control"]
    artefact = ArtefactFactory(published=True)
    artefact.deed.save("deed.pdf", ContentFile(b"%PDF-1.4 signed"))
    anonymous.force_login(bureau_staff)
    deed = anonymous.get(artefact.deed.url)
    assert deed["X-Accel-Redirect"] == "/protected-media/" + artefact.deed.name
    assert deed.content == b""
    assert "no-store" in deed["Cache-Control"]


def test_without_nginx_django_streams_the_file(settings, anonymous):
    settings.PORTAL_PROTECTED_MEDIA_ACCEL = ""
    story = OralHistoryFactory(published=True, transcript="全部可以公开。")
    story.audio.save("a.wav", ContentFile(WAV_HEAD))
    response = anonymous.get(story.audio.url)
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == WAV_HEAD
    assert response["Content-Type"].startswith("audio/")


@pytest.mark.parametrize("accel", ["/protected-media/", ""])
def test_files_nobody_may_see_are_refused_with_or_without_nginx(settings, anonymous, accel):
    settings.PORTAL_PROTECTED_MEDIA_ACCEL = accel
    unconsented = VeteranFactory(public_profile=False)
    unconsented.portrait.save("q.jpg", ContentFile(jpeg_bytes()))
    unpublished = ArtefactImageFactory(artefact=ArtefactFactory(published=False))
    withheld = OralHistoryFactory(published=True)  # its transcript has a [restricted] passage
    withheld.video.save("b.mp4", ContentFile(MP4_HEAD))
    for url in [unconsented.portrait.url, unpublished.image.url, withheld.video.url]:
        response = anonymous.get(url)
        assert response.status_code == 404
        assert "X-Accel-Redirect" not in response


def test_serving_a_file_takes_a_bounded_number_of_queries(
    client, bureau_staff, django_assert_max_num_queries
):
    public = ArtefactImageFactory(artefact=ArtefactFactory(published=True))
    private = ArtefactImageFactory(artefact=ArtefactFactory(published=False))
    ArtefactImageFactory.create_batch(20, artefact=ArtefactFactory(published=True))
    with django_assert_max_num_queries(1):
        assert client.get(public.image.url).status_code == 200
    client.force_login(bureau_staff)
    with django_assert_max_num_queries(8):  # session, user, permissions, owner
        assert client.get(private.image.url).status_code == 200
