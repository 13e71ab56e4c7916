"""POST data of admin forms as rendered, so tests submit what a browser would."""

import io

from django.db.models.fields.files import FieldFile
from PIL import Image


def form_data(response):
    """The POST data of an admin add/change form as rendered: the form and every inline formset."""
    data = {}

    def put(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or isinstance(value, FieldFile):
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data


def add_inline_rows(data, prefix, rows):
    """Appends new rows to an inline formset in `data`."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{start + offset}-{key}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def jpeg_bytes(color="red", size=(40, 30)):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, "JPEG")
    return output.getvalue()


# The smallest well-formed files: an MP4 is ftyp, moov and mdat boxes; a WebM an EBML header
# (version 1, doctype webm) and a Segment starting with an empty Info element.
MP4_HEAD = (
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    + b"\x00\x00\x00\x08moov"
    + b"\x00\x00\x00\x48mdat"
    + b"\x00" * 64
)
M4A_HEAD = (
    b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42"
    + b"\x00\x00\x00\x08moov"
    + b"\x00\x00\x00\x48mdat"
    + b"\x00" * 64
)
WEBM_HEAD = (
    b"\x1a\x45\xdf\xa3\x8f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
    + b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"
    + b"\x15\x49\xa9\x66\x80"
    + b"\x00" * 64
)
MP3_HEAD = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 20
MP3_FRAME = b"\xff\xfb\x90\x00" * 30
WAV_HEAD = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
OGG_HEAD = b"OggS\x00\x02" + b"\x00" * 64
