from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class VisitsPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["visits:booking-start", "visits:public-statistics"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"visits": VisitsPagesSitemap}
