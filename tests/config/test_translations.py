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
