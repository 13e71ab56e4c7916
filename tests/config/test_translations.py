"""Every user-facing msgid has a Chinese translation, and the committed .mo files are current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "venv", "node_modules", "media", "staticfiles", ".git", "static"}


def parse_po(path):
    """(msgid, msgstr, fuzzy) for every entry of a .po file, with plural forms joined."""
    entries, current, fuzzy, key = [], {}, False, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current.get("msgid"):
                entries.append((current["msgid"], current.get("msgstr", ""), fuzzy))
            current, fuzzy, key = {}, False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr", "msgctxt ")):
            head, _, rest = line.partition(" ")
            key = "msgstr" if head.startswith("msgstr") else head
            value = rest.strip()[1:-1]
            if key == "msgstr" and current.get("msgstr") and not value:
                current["msgstr"] += "\0"
            current[key] = current.get(key, "") + value if key == "msgstr" else value
        elif line.startswith('"') and key:
            current[key] = current.get(key, "") + line[1:-1]
    return entries


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Runs makemessages on a copy of the source tree, so the test sees every msgid in the code."""
    if not shutil.which("xgettext"):
        # CI installs it (.ci/run): there a missing tool is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            "GNU gettext is not installed (apt-get install gettext)."
        )
    copy = tmp_path_factory.mktemp("src") / "portal"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*SKIP, "*.pyc", "__pycache__"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "True", "DATABASE_URL": "sqlite://"},
    )
    return copy


def test_every_msgid_in_the_code_has_a_chinese_translation(fresh_catalogues):
    catalogues = list(fresh_catalogues.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogues, "makemessages produced no catalogue"
    missing = []
    for po in catalogues:
        for msgid, msgstr, fuzzy in parse_po(po):
            if fuzzy or not msgstr.replace("\0", ""):
                missing.append(f"{po.relative_to(fresh_catalogues)}: {msgid!r}")
    assert missing == [], "Untranslated (run `make messages` and translate):\n" + "\n".join(missing)


def test_committed_mo_files_are_compiled_from_their_po(tmp_path):
    if not shutil.which("msgfmt"):
        # CI installs it (.ci/run): there a missing tool is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            "GNU gettext is not installed (apt-get install gettext)."
        )
    for po in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"):
        if SKIP & set(po.relative_to(ROOT).parts):
            continue
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run `make messages`"
        fresh = tmp_path / "fresh.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
        assert fresh.read_bytes() == mo.read_bytes(), f"{mo.relative_to(ROOT)} is stale"


def loaded_catalogues():
    """(name, folder, is_ours) of every catalogue Django merges for a request: its own, each
    installed app's, and settings.LOCALE_PATHS (ours, loaded last so they win)."""
    import django
    from django.apps import apps
    from django.conf import settings

    folders = [("django", Path(django.__file__).parent / "conf" / "locale", False)]
    for config in apps.get_app_configs():
        path = Path(config.path)
        # A virtualenv inside the checkout (make's .venv) holds libraries, not ours.
        ours = path.is_relative_to(ROOT) and "site-packages" not in path.parts
        folders.append((config.name, path / "locale", ours))
    folders += [(str(Path(p).relative_to(ROOT)), Path(p), True) for p in settings.LOCALE_PATHS]
    return [entry for entry in folders if (entry[1] / "zh_Hans" / "LC_MESSAGES").is_dir()]


def compiled(folder):
    """The catalogue Django would read from a folder: {key: translation}, as gettext keys it
    ("context\\x04msgid", or (msgid, form) for plurals)."""
    import gettext

    catalogue = gettext.translation("django", str(folder), ["zh_Hans"], fallback=True)
    return {k: v for k, v in getattr(catalogue, "_catalog", {}).items() if k != ""}


def live(key):
    from django.utils import translation

    msgid, form = key if isinstance(key, tuple) else (key, None)
    context, _, msgid = msgid.rpartition("\x04")
    with translation.override("zh-hans"):
        if form is None:
            return translation.pgettext(context, msgid) if context else translation.gettext(msgid)
        if context:
            return translation.npgettext(context, msgid, msgid, 1)
        return translation.ngettext(msgid, msgid, 1)


def readable(key):
    msgid, form = key if isinstance(key, tuple) else (key, None)
    context, _, msgid = msgid.rpartition("\x04")
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


def test_every_catalogue_means_what_is_shown():
    """Django merges every catalogue into one and keeps one translation per message: a message
    two catalogues translate two ways shows one app's word in the other's pages. Ours must agree
    with what is shown; a library's may differ only where settings.LOCALE_PATHS decides."""
    from django.conf import settings

    catalogues = [(name, compiled(folder), ours) for name, folder, ours in loaded_catalogues()]
    decided = set().union(*(compiled(Path(folder)) for folder in settings.LOCALE_PATHS))
    clashes = []
    for name, entries, ours in catalogues:
        for key, translation in entries.items():
            shown = live(key)
            if shown != translation and (ours or key not in decided):
                clashes.append(f"{name}: {readable(key)} is {translation!r} there, {shown!r} shown")
    assert clashes == [], (
        "One message, two translations: give it a context (pgettext) or a distinct msgid, or "
        "decide a library's in config/overrides/locale:\n" + "\n".join(clashes)
    )


def test_every_plural_any_catalogue_offers_is_translated():
    """A plural left untranslated (or fuzzy, which compiles to nothing) shows its English, or
    its raw %(count)d, whichever app's catalogue holds it."""
    untranslated = []
    for name, folder, _ours in loaded_catalogues():
        po = folder / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if not po.exists():
            continue
        for block in po.read_text(encoding="utf-8").split("\n\n"):
            if "msgid_plural" not in block or block.lstrip().startswith("#~"):
                continue
            entry = _fields(block)
            key = entry.get("msgid", "")
            if entry.get("msgctxt"):
                key = f"{entry['msgctxt']}\x04{key}"
            if live((key, 0)) == entry.get("msgid"):
                untranslated.append(f"{name}: {readable(key)}")
    assert untranslated == [], "Untranslated plurals:\n" + "\n".join(untranslated)


def _fields(block):
    import re

    fields, last = {}, None
    for line in block.splitlines():
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            last = match.group(1)
            fields[last] = match.group(2)
        elif line.startswith('"') and last:
            fields[last] += line[1:-1]
    return {k: v.replace('\\"', '"').replace("\\n", "\n") for k, v in fields.items()}
