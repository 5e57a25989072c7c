"""Per-language Atom feeds of published news items (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ipex.portal.models import NewsItem
from ipex.portal.news_views import LANGUAGES, content_language


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, language):
        return content_language(language)

    def title(self, language):
        return _("News (%(language)s)") % {"language": LANGUAGES[language]}

    def link(self, language):
        return reverse("news-list", args=[language])

    def subtitle(self, language):  # noqa: ARG002
        return _("Published news items of the copyright administration.")

    def feed_url(self, language):
        return reverse("news-feed", args=[language])

    def items(self, language):
        return NewsItem.objects.published().filter(language=language)[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("news-item", args=[item.language, item.group])

    def item_guid(self, item):
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.corrected_at or item.published_at

    def item_categories(self, item):
        return [item.get_category_display(), *item.tag_list]
