"""Who may use the portal's URLs: the editorial office's rules and the Wagtail route families."""

from django.utils.translation import gettext_lazy as _

from apps.core import access

from . import royalties_access

PORTAL_STAFF = access.rule("portal.staff", royalties_access.is_staff_user, _("Staff of the department"))
PORTAL_OFFICE = access.rule(
    "portal.office", royalties_access.is_office_user, _("Editorial office (editors, leaders, administrators)")
)


def declare_wagtail_routes() -> None:
    """Wagtail's own routes (config/urls.py) keep Wagtail's gates; the registry records them."""
    from wagtail import urls as wagtail_urls

    access.declare_foreign(
        "quan-tri-noi-dung/",
        access.rule(
            "portal.content_admin",
            lambda user: user.has_perm("wagtailadmin.access_admin"),
            _("Portal content editors (content admin access)"),
        ),
    )
    access.declare_foreign(
        "tai-lieu/",
        access.rule(
            "portal.documents",
            lambda user: True,
            _("Everyone; a restricted document collection asks for its own sign-in or password"),
            public=True,
        ),
    )
    pages = access.rule(
        "portal.pages",
        lambda user: True,
        _("Everyone; a private page asks for its own sign-in or password"),
        public=True,
    )
    access.declare_foreign("_util/", pages)
    access.declare_foreign(wagtail_urls.serve_pattern, pages)
