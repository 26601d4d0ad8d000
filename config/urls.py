from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.api import MeView
from apps.organizations.api import OrganizationTreeView

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("organizations/tree/", OrganizationTreeView.as_view(), name="organization_tree"),
    path("procedures/", include(("apps.procedures.api_urls", "procedures"))),
    path("dossiers/", include(("apps.dossiers.api_urls", "dossiers"))),
    path("documents/", include(("apps.documents.api_urls", "documents"))),
    path("tasks/", include(("apps.tasks.api_urls", "tasks"))),
    path("techassess/", include(("apps.techassess.api_urls", "techassess"))),
    path("itsec/", include(("apps.itsec.api_urls", "itsec"))),
]

urlpatterns = [
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
    path("cong-thong-tin/", include("apps.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One sign-in page (with two factors) for everything, the configuration screens included.
    path("quan-tri-he-thong/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("quan-tri-he-thong/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"
