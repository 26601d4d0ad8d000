"""Public-site views that Wagtail does not serve itself (search, feeds)."""

from django.urls import path

from . import feeds, views_site

urlpatterns: list = [
    path("tim-kiem/", views_site.search, name="search"),
    path("tin-tuc/rss/", feeds.LatestNewsFeed(), name="news_feed"),
]
