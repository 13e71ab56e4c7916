"""The deployment files in docs/deploy/ agree with the code: every variable portal.env sets is
read, nginx accepts the largest upload the portal accepts, and nginx serves by name only the
folders of files anyone may see. `make stack-test` runs these files; these checks are instant."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db.models import FileField

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "docs/deploy"
NGINX = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3, "": 1}


def portal_env_variables():
    text = (DEPLOY / "portal.env").read_text(encoding="utf-8")
    return re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE)


def readers():
    """The text of everything that reads the environment in production."""
    files = [ROOT / "config/settings.py", ROOT / "gunicorn.conf.py", *DEPLOY.glob("*.service")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_variable_in_portal_env_is_read_by_the_settings_or_the_deploy_files():
    variables = portal_env_variables()
    assert len(variables) > 10
    text = readers()
    unread = [name for name in variables if not re.search(rf"[\"'$]{{?{name}\b", text)]
    assert unread == []


def test_nginx_accepts_exactly_the_largest_upload_the_portal_accepts():
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)([kmg]?);", NGINX, flags=re.MULTILINE)
    assert len(sizes) == 1, "one figure, in one place"
    number, unit = sizes[0]
    limits = [
        settings.PORTAL_MAX_MEDIA_BYTES,
        settings.PORTAL_MAX_DOCUMENT_BYTES,
        settings.PORTAL_MAX_IMAGE_BYTES,
    ]
    assert int(number) * UNITS[unit] == max(limits)


def public_media_pattern():
    match = re.search(r'location ~ "\^/media/\(\?<public_media>(.+?)\)\$"', NGINX)
    assert match, "nginx.conf has no named location of public media"
    return re.compile(match.group(1))


def storage_folders():
    """(folder, storage alias) of every file field, from the models."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and not model.__name__.startswith("Historical"):
                folder = getattr(field.upload_to, "folder", None) or str(field.upload_to)
                # default_storage is a lazy proxy: compare the classes it stands for.
                alias = next(
                    a
                    for a in ["default", "redhistory", "documents"]
                    if type(storages[a]) is field.storage.__class__
                )
                found.add((folder.strip("/"), alias))
    return found


def test_nginx_serves_by_name_exactly_the_default_storages_folders():
    pattern = public_media_pattern()
    folders = storage_folders()
    assert {alias for _, alias in folders} >= {"default", "redhistory", "documents"}
    for folder, alias in folders:
        for name in [f"{folder}/x.jpg", f"thumbnails/small/{folder}/x.jpg"]:
            served = bool(pattern.fullmatch(name))
            assert served == (alias == "default"), (name, alias)
