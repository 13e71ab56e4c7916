"""Security headers on every response: CSP, clickjacking, referrer, HSTS in production."""

import pytest
from django.urls import reverse

from tests.config.test_settings import GOOD_KEY, run_manage


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/bases/", "/admin/login/"])
def test_csp_allows_only_the_sites_own_scripts_and_styles(client, url):
    response = client.get(url)
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_clickjacking_referrer_and_sniffing_policies(client):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_turns_every_https_setting_on_by_default():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_PROXY_SSL_HEADER)",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.cn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1] == (
        "True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_each_https_setting_has_its_own_switch():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1] == "False True True 0"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_unless_the_proxy_says_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/bases/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    behind_proxy = client.get("/bases/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200


@pytest.mark.django_db
def test_admin_pages_are_never_stored(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_view_flagged_private_is_never_stored(rf):
    from django.http import HttpResponse

    from ops.middleware import PrivateNoStoreMiddleware, private

    @private
    def view(request):
        return HttpResponse("电话 13800000000")

    middleware = PrivateNoStoreMiddleware(lambda request: view(request))
    request = rf.get("/somewhere/")
    middleware.process_view(request, view, (), {})
    response = middleware(request)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_may_be_stored(client):
    response = client.get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_session_ends_after_inactivity_and_at_browser_close(settings):
    # The expiry moving on with use is tested on live requests in tests/ops/test_sessions.py.
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("jinzhong", False),
        ("12345678901234", False),
        ("password123456", False),
        ("晋中红色记忆-2024-baoan", True),
    ],
)
def test_passwords_are_at_least_twelve_characters_and_not_common(password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted
