from django.urls import include, path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("lam-viec/", views.staff_home, name="staff_home"),
    path("lich/", include("apps.core.calendar.urls")),
    path("so-dang-ky/", include("apps.core.counters.urls")),
    path("tep/", include("apps.core.files.urls")),
    path("thong-bao/", include("apps.core.notifications.urls")),
    path("ket-xuat/", include("apps.core.rendering.urls")),
]
