"""Run inside the stack's portal (`manage.py shell`): the demo's private files, plus one of each
kind the demo may lack, and what the test needs to know about them, printed as JSON.

Private here means what the bureau's rules say, from the models' own public querysets: deeds and
release forms always; portraits of veterans without consent; images of artefacts the public may
not see; recordings and photos of oral histories the public may not see (a withdrawn consent
included); every construction-milestone document; field-visit photos.
"""

import datetime
import io
import json
import os
import struct

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from core.images import THUMBNAIL_SIZES, thumbnail_name
from exhibitions.models import ConstructionMilestone, EducationBase
from redhistory.models import (
    Artefact,
    ArtefactImage,
    FieldVisitPhoto,
    MicroFilm,
    OralHistory,
    OralHistoryPhoto,
    Release,
    Veteran,
)
from visits import services as visit_services
from visits.models import Booking, Visit

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def jpeg(colour):
    output = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(output, "JPEG")
    return ContentFile(output.getvalue(), name="image.jpg")


def wav():
    samples = b"\x00\x00" * 800
    head = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt "
    head += struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    return ContentFile(head + b"data" + struct.pack("<I", len(samples)) + samples)


def mp4():
    return ContentFile(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 512)


password = os.environ["STACK_STAFF_PASSWORD"]
staff = get_user_model().objects.get(username="staff")
staff.set_password(password)
staff.save()

with transaction.atomic():
    narrator = Veteran.objects.create(
        name="未同意公开", gender="M", birth_year=1926, county="yuci", public_profile=False
    )
    narrator.portrait.save("portrait.jpg", jpeg((90, 20, 20)))
    hidden = Artefact.objects.create(
        accession_number="STACK-0001", name="未公开的物件", category="document", published=False
    )
    hidden.deed.save("deed.pdf", ContentFile(PDF))
    ArtefactImage.objects.create(artefact=hidden, image=jpeg((20, 90, 20)))
    withdrawn = OralHistory.objects.create(
        title="撤回同意的口述",
        narrator=narrator,
        status=OralHistory.Status.PUBLISHED,
        published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    )
    Release.objects.create(oral_history=withdrawn, scope=Release.Scope.RESTRICTED)
    withdrawn.release.form.save("release.pdf", ContentFile(PDF))
    withdrawn.audio.save("audio.wav", wav())
    withdrawn.video.save("video.mp4", mp4())
    OralHistoryPhoto.objects.create(oral_history=withdrawn, image=jpeg((20, 20, 90)))
    upload_target = OralHistory.objects.create(title="待上传的口述录像", narrator=narrator)
    base = EducationBase.objects.public().filter(bookings_open=True).order_by("pk").first()
    milestone = ConstructionMilestone.objects.filter(base=base).order_by("pk").first()
    milestone.document.save("approval.pdf", ContentFile(PDF))

# A day the booking service accepts at that base, found by trying it and rolling back.
visit_on = None
today = datetime.date.today()
for offset in range(1, 60):
    day = today + datetime.timedelta(days=offset)
    try:
        with transaction.atomic():
            visit_services.booking_create(
                base=base,
                visit_on=day,
                slot=Booking.Slot.values[0],
                group_name="试订",
                contact_name="试订",
                phone="13800138000",
                headcount=1,
                category=Visit.Category.values[0],
            )
            raise RuntimeError("roll back")
    except RuntimeError:
        visit_on = day
        break
    except Exception:
        continue


def with_thumbnails(names, image=False):
    for name in names:
        if not name:
            continue
        yield name
        if image:
            for size in THUMBNAIL_SIZES:
                yield thumbnail_name(name, size)


public_artefacts = Artefact.objects.public()
public_orals = OralHistory.objects.public()
private = {
    "deed": list(with_thumbnails(Artefact.objects.values_list("deed", flat=True))),
    "release form": list(with_thumbnails(Release.objects.values_list("form", flat=True))),
    "portrait without consent": list(
        with_thumbnails(
            Veteran.objects.filter(public_profile=False).values_list("portrait", flat=True), True
        )
    ),
    "image of a hidden artefact": list(
        with_thumbnails(
            ArtefactImage.objects.exclude(artefact__in=public_artefacts).values_list(
                "image", flat=True
            ),
            True,
        )
    ),
    "recording not public": list(
        with_thumbnails(
            name
            for pair in OralHistory.objects.exclude(pk__in=public_orals).values_list(
                "video", "audio"
            )
            for name in pair
        )
    ),
    "photo of an oral history not public": list(
        with_thumbnails(
            OralHistoryPhoto.objects.exclude(oral_history__in=public_orals).values_list(
                "image", flat=True
            ),
            True,
        )
    ),
    "field-visit photo": list(
        with_thumbnails(FieldVisitPhoto.objects.values_list("image", flat=True), True)
    ),
    "film not public": list(
        with_thumbnails(
            MicroFilm.objects.exclude(pk__in=MicroFilm.objects.public()).values_list(
                "video", flat=True
            )
        )
    ),
    "milestone document": list(
        with_thumbnails(ConstructionMilestone.objects.values_list("document", flat=True))
    ),
}
public_image = (
    EducationBase.objects.public().exclude(cover="").values_list("cover", flat=True).first()
)
print(
    json.dumps(
        {
            "private": private,
            "protected_urls": {
                name: (
                    milestone.document.storage.url(name)
                    if kind == "milestone document"
                    else narrator.portrait.storage.url(name)
                )
                for kind, names in private.items()
                for name in names
            },
            "milestone_document": milestone.document.url,
            "upload_target": upload_target.pk,
            "base": base.slug,
            "visit_on": visit_on.isoformat(),
            "public_image": public_image,
            "withdrawn_video": withdrawn.video.url,
        }
    )
)
