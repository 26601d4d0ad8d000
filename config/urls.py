from csp.decorators import csp_replace
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from apps.accounts.api import MeView
from apps.core import access
from apps.core.views import api_not_found
from apps.organizations.api import OrganizationTreeView
from apps.organizations.indicators_api import IndicatorListView

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("organizations/tree/", OrganizationTreeView.as_view(), name="organization_tree"),
    path("procedures/", include(("apps.procedures.api_urls", "procedures"))),
    path("dossiers/", include(("apps.dossiers.api_urls", "dossiers"))),
    path("documents/", include(("apps.documents.api_urls", "documents"))),
    path("tasks/", include(("apps.tasks.api_urls", "tasks"))),
    path("techassess/", include(("apps.techassess.api_urls", "techassess"))),
    path("itsec/", include(("apps.itsec.api_urls", "itsec"))),
    path("plans/", include(("apps.plans.api_urls", "plans"))),
    path("indicators/", IndicatorListView.as_view(), name="indicators"),
]

# Wagtail's admin (the portal's editorial office) needs more than the site-wide CSP allows, and only
# there: Wagtail 8 still initialises its inline panels and date/time pickers (publication schedule) with
# inline <script> blocks and styles its widgets with style attributes ('unsafe-inline' for both, no
# nonce support in its templates); upload previews use blob: images; the live preview shows the
# admin's own preview view in a frame (frame-ancestors 'self'; Wagtail's preview views relax
# X-Frame-Options themselves). Only the admin's views are decorated, for signed-in editorial staff;
# the public site and every other module keep the strict policy.
WAGTAIL_ADMIN_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}
decorate_urlpatterns(wagtailadmin_urls.urlpatterns, csp_replace(WAGTAIL_ADMIN_CSP))

urlpatterns = [
    # "/" (core:home) serves the portal's home page once the portal exists (see apps.core.views.home).
    path("", include("apps.core.urls")),
    path("tai-khoan/", include("apps.accounts.urls")),
    path("to-chuc/", include("apps.organizations.urls")),
    path("nhat-ky/", include("apps.audit.urls")),
    path("thu-tuc/", include("apps.procedures.urls")),
    path("ho-so/", include("apps.dossiers.urls")),
    path("van-ban/", include("apps.documents.urls")),
    path("cong-viec/", include("apps.tasks.urls")),
    path("danh-gia-cong-nghe/", include("apps.techassess.urls")),
    path("ha-tang-atttt/", include("apps.itsec.urls")),
    path("ke-hoach/", include("apps.plans.urls")),
    path("cong-thong-tin/", include("apps.portal.urls")),
    path("i18n/setlang/", access.require(access.PUBLIC)(set_language), name="set_language"),
    # One sign-in page (with two factors) for everything, the configuration screens included.
    path("quan-tri-he-thong/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("quan-tri-he-thong/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/v1/<path:rest>", access.require(access.PUBLIC)(api_not_found), name="api-not-found"),
    # The schema and its viewer are public (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]: AllowAny).
    path("api/schema/", access.require(access.PUBLIC)(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        access.require(access.PUBLIC)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # The web portal (Wagtail): content admin behind our sign-in, documents, sitemap, then pages.
    path("quan-tri-noi-dung/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("quan-tri-noi-dung/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("sitemap.xml", access.require(access.PUBLIC)(sitemap), name="sitemap"),
    # Catch-all: every other path is a portal page. Must stay last.
    path("", include(wagtail_urls)),
]

handler400 = "apps.core.views.error_400"
handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"
