"""Atom feed of newly published oral histories: public ones only, newest publication first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors


class NewOralHistoriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Red memory: newly published oral histories")
    subtitle = _(
        "Oral histories of Jinzhong's revolutionary veterans, published by the Veteran Cadres Bureau."
    )
    link = reverse_lazy("redhistory:oralhistory-list")

    def items(self):
        return selectors.newest_oral_histories(limit=selectors.FEED_COUNT)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.narrator.name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
