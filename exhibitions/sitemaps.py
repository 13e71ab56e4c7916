from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import EducationBase


class FrontPagesSitemap(Sitemap):
    """The home page and the list of bases."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "exhibitions:base-list"]

    def location(self, item):
        return reverse(item)


class BaseSitemap(Sitemap):
    """Every public (opened) education base."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return EducationBase.objects.public().order_by("slug").only("pk", "slug")


SITEMAPS = {"front-pages": FrontPagesSitemap, "bases": BaseSitemap}
