from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("moi/", views.plan_create, name="create"),
    path("nhiem-vu-du-an/", views.project_list, name="project_list"),
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("<id:pk>/", views.plan_detail, name="detail"),
    path("<id:pk>/sua/", views.plan_edit, name="edit"),
    path("<id:pk>/noi-dung/", views.plan_sections, name="sections"),
    path("<id:pk>/muc-tieu/", views.plan_targets, name="targets"),
    path("<id:pk>/can-cu/", views.plan_bases, name="bases"),
    path("<id:pk>/thao-tac/<slug:action>/", views.plan_action, name="action"),
    path("<id:pk>/y-kien/", views.plan_comment, name="comment"),
    path("<id:pk>/ke-hoach.docx", views.plan_docx, name="docx"),
    path("<id:pk>/ke-hoach.pdf", views.plan_pdf, name="pdf"),
    path("<id:pk>/gui-ky-ban-hanh/", views.plan_send, name="send"),
    path("<id:pk>/phu-luc/them/", views.project_edit, name="project_create"),
    path("<id:pk>/phu-luc/<id:project_pk>/sua/", views.project_edit, name="project_edit"),
    path("<id:pk>/phu-luc/<id:project_pk>/xoa/", views.project_delete, name="project_delete"),
    path("<id:pk>/phu-luc/<id:project_pk>/tien-do/", views.project_track, name="project_track"),
    path("<id:pk>/phu-luc/xuat-excel/", views.appendix_export, name="appendix_export"),
    path("<id:pk>/phu-luc/nhap-excel/", views.appendix_import, name="appendix_import"),
]
