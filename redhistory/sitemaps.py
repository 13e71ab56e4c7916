"""The public pages of the red-memory column, for /sitemap.xml: public records only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors
from .models import Artefact, MicroFilm, Veteran


class ColumnPagesSitemap(Sitemap):
    """The column's front page and its lists."""

    changefreq = "daily"
    priority = 0.7

    def items(self):
        return [
            "redhistory:index",
            "redhistory:oralhistory-list",
            "redhistory:artefact-list",
            "redhistory:veteran-list",
            "redhistory:film-list",
        ]

    def location(self, item):
        return reverse(item)


class OralHistorySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return selectors.public_oral_histories().only("pk", "published_at").order_by("pk")

    def lastmod(self, item):
        return item.published_at


class ArtefactSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Artefact.objects.public().only("pk", "accession_number").order_by("accession_number")


class VeteranSitemap(Sitemap):
    """Veterans whose public profile was consented to."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Veteran.objects.public().only("pk").order_by("pk")


class MicroFilmSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return MicroFilm.objects.public().only("pk").order_by("pk")

    def location(self, item):
        return reverse("redhistory:film-detail", args=[item.pk])


SITEMAPS = {
    "red-memory": ColumnPagesSitemap,
    "oral-histories": OralHistorySitemap,
    "artefacts": ArtefactSitemap,
    "veterans": VeteranSitemap,
    "micro-films": MicroFilmSitemap,
}
