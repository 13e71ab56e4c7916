from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import views
from ops.views import wechat_signature
from reports.views import home

admin.site.site_header = _("Jinzhong Veteran Cadres Bureau Party-building Work Platform")
admin.site.site_title = _("Party-building Work Platform")
admin.site.index_title = _("Data entry and management")


def portal_sitemaps():
    """Each app lists its public pages in `<app>/sitemaps.py` as `SITEMAPS = {name: Sitemap}`."""
    from importlib import import_module

    merged = {}
    for app in settings.PORTAL_APPS:
        try:
            merged.update(import_module(f"{app}.sitemaps").SITEMAPS)
        except ModuleNotFoundError:
            continue
    return merged


urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("wechat/signature", wechat_signature, name="wechat-signature"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": portal_sitemaps()},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    path("red-memory/", include("redhistory.urls")),
    path("bases/", include("exhibitions.urls")),
    path("visits/", include("visits.urls")),
    path("reports/", include("reports.urls")),
]

# An error outside a view (sessions, authentication) while the database is down is still a 503.
handler500 = "ops.views.server_error"

if settings.DEBUG:
    urlpatterns += static(
        settings.MEDIA_URL, view=views.serve_media, document_root=settings.MEDIA_ROOT
    )
