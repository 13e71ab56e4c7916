"""MEDIA_STORAGE=s3 puts uploads on S3-compatible object storage, configured from AWS_*."""

from tests.config.test_settings import GOOD_KEY, run_manage

PROBE = (
    "from django.conf import settings as s; from django.core.files.storage import storages;"
    " d = storages['default']; o = s.STORAGES['default']; print(o['BACKEND'], type(d).__name__, d.bucket_name,"
    " d.endpoint_url, d.default_acl, d.querystring_auth, d.location, d.file_overwrite)"
)


def test_media_storage_s3_uses_django_storages_with_private_files():
    result = run_manage(
        "shell",
        "-c",
        PROBE,
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.cn",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="minio",
        AWS_SECRET_ACCESS_KEY="minio-secret",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1] == (
        "storages.backends.s3.S3Storage S3Storage portal-media http://127.0.0.1:9000 private "
        "True media False"
    )


def test_media_storage_defaults_to_the_file_system():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'])",
        DJANGO_DEBUG="True",
    )
    assert result.stdout.strip().split("\n")[-1] == "django.core.files.storage.FileSystemStorage"


def test_s3_without_a_bucket_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="True", MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_media_storage_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="True", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE" in result.stderr


STORAGES_PROBE = (
    "from django.core.files.storage import storages as s;"
    " print(*[f'{a}:{type(s[a]).__name__}:{s[a].bucket_name}:{s[a].location}'"
    " for a in ['default', 'redhistory', 'documents']])"
)


def test_media_storage_s3_puts_red_history_and_documents_in_the_same_bucket():
    result = run_manage(
        "shell",
        "-c",
        STORAGES_PROBE,
        DJANGO_DEBUG="True",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("\n")[-1].split() == [
        "default:S3Storage:portal-media:media",
        "redhistory:RedHistoryS3Storage:portal-media:media",
        "documents:DocumentS3Storage:portal-media:media",
    ]
