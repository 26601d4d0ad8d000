from django.urls import path

from . import views

urlpatterns = [
    path("bat-dau/<slug:kind>/", views.start, name="render_start"),
    path("<uuid:pk>/", views.job_detail, name="render_job"),
    path("<uuid:pk>/trang-thai/", views.job_status, name="render_status"),
]
