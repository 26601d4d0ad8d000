"""Template tags of the public site: the portal's menu and English-aware titles."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context):
    """The live sections of the portal's home page marked "show in menus"."""
    from wagtail.models import Site

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().specific())


@register.simple_tag(takes_context=True)
def portal_home_url(context):
    from wagtail.models import Site

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page.url if site is not None else "/"


@register.filter
def page_title(page):
    """The page's English title when the visitor chose English and one is set."""
    specific = getattr(page, "specific", page)
    display = getattr(specific, "display_title", None)
    return display() if callable(display) else page.title
