"""RSS feed of the portal's latest news."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import access

FEED_SIZE = 20


class LatestNewsFeed(Feed):
    access_rule = access.PUBLIC
    title = settings.WAGTAIL_SITE_NAME
    description = _("Latest news of the department")

    def link(self):
        from .models import NewsIndexPage

        index = NewsIndexPage.objects.live().public().first()
        return index.url if index else "/"

    def items(self):
        from .models.pages import live_news

        return live_news()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at or timezone.now()

    def item_author_name(self, item):
        return item.authors or None

    def item_categories(self, item):
        return [item.category.name] if item.category_id else []
