from django.conf import settings


def site(request):
    """Names every template shows in its header, title and footer."""
    return {
        "site_name": settings.PORTAL_SITE_NAME,
        "platform_name": settings.PORTAL_PLATFORM_NAME,
    }
