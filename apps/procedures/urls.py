from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    # Public catalogue: no sign-in needed.
    path("", views.catalogue, name="catalogue"),
    path("<id:procedure_id>/", views.detail, name="detail"),
    path("<id:procedure_id>/mau-don/<str:code>/", views.template_file, name="template_file"),
    # Administrators' screens.
    path("quan-ly/", views.staff_list, name="staff_list"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("quan-ly/nhap/", views.staff_import, name="staff_import"),
    path("quan-ly/moi/", views.staff_create, name="staff_create"),
    path("quan-ly/phien-ban/<id:pk>/", views.staff_version, name="staff_version"),
    path("quan-ly/phien-ban/<id:pk>/sua/", views.staff_edit, name="staff_edit"),
    path(
        "quan-ly/phien-ban/<id:pk>/mau-don/<str:code>/",
        views.staff_template_file,
        name="staff_template_file",
    ),
    path(
        "quan-ly/phien-ban/<id:pk>/mau-don/<str:code>/tai-len/",
        views.staff_attach_template,
        name="staff_attach_template",
    ),
    path("quan-ly/phien-ban/<id:pk>/<str:action>/", views.staff_transition, name="staff_transition"),
    path("quan-ly/thu-tuc/<id:procedure_id>/du-thao/", views.staff_new_draft, name="staff_new_draft"),
]
