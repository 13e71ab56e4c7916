import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" + "9f$2mX!qZ7rT@4vB8nW#1cL6yH0pD3sJ5gE&" * 2


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_TESTING": "False", "DATABASE_URL": "sqlite:///:memory:"}, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="False", DJANGO_ALLOWED_HOSTS="portal.example.cn")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_DEBUG="False", DJANGO_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_needs_no_variables():
    result = run_manage("check", DJANGO_DEBUG="True")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "setting, expected",
    [("LANGUAGE_CODE", "zh-hans"), ("TIME_ZONE", "Asia/Shanghai"), ("USE_TZ", True)],
)
def test_locale_settings(settings, setting, expected):
    assert getattr(settings, setting) == expected


def test_no_template_loads_anything_from_a_cdn():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "//cdn" in text or "https://" in text and ("<script" in text or "<link" in text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_a_forwarded_for_client_address_is_refused():
    """nginx appends to X-Forwarded-For what the client sent: the address must come from X-Real-IP."""
    order = "HTTP_X_FORWARDED_FOR,REMOTE_ADDR"
    refused = run_manage("check", DJANGO_DEBUG="True", AXES_IPWARE_META_PRECEDENCE_ORDER=order)
    assert refused.returncode != 0
    assert "AXES_IPWARE_META_PRECEDENCE_ORDER" in refused.stderr
    order = "HTTP_X_REAL_IP,REMOTE_ADDR"
    accepted = run_manage("check", DJANGO_DEBUG="True", AXES_IPWARE_META_PRECEDENCE_ORDER=order)
    assert accepted.returncode == 0, accepted.stderr


def test_the_private_root_is_read_from_the_environment(tmp_path):
    """With the web and the worker on different hosts, both must name the shared folder."""
    shared = tmp_path / "shared-private"
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; from reports import storage; print(storage.report_dir())",
        DJANGO_DEBUG="True",
        PORTAL_PRIVATE_ROOT=str(shared),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(shared / "reports")
    assert (shared / "reports").is_dir()
