"""Fixtures of the public-site tests: a small portal tree with the editorial workflow attached."""

import datetime

import pytest

from apps.organizations.roles import Role


@pytest.fixture
def portal(db):
    from apps.portal import site_setup
    from apps.portal.demo_site import ensure_site
    from apps.portal.models import NewsCategory, NewsIndexPage

    home = ensure_site()
    news = NewsIndexPage(title="Tin tức", title_en="News", slug="tin-tuc", show_in_menus=True)
    home.add_child(instance=news)
    news.save_revision().publish()
    site_setup.ensure_section_permissions(news)
    category = NewsCategory.objects.create(name="Chuyển đổi số", name_en="Digital transformation", slug="cds")
    return {"home": home, "news": news, "category": category}


@pytest.fixture
def editorial(make_user):
    """One user per editorial step: author (specialist), editor, board (leader), administrator."""
    return {
        "author": make_user(Role.SPECIALIST, username="tacgia"),
        "editor": make_user(Role.EDITOR, username="bientap"),
        "board": make_user(Role.LEADER, username="banbientap"),
        "admin": make_user(Role.ADMINISTRATOR, username="quantri"),
        "citizen": make_user(Role.CITIZEN, username="congdan"),
    }


def publish_article(news, title, *, lead="Tóm tắt", day=None, category=None, **fields):
    from apps.portal.models import NewsArticlePage

    article = NewsArticlePage(
        title=title, lead=lead, date=day or datetime.date(2025, 11, 1), category=category, **fields
    )
    news.add_child(instance=article)
    article.save_revision().publish()
    return NewsArticlePage.objects.get(pk=article.pk)
