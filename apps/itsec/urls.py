from django.urls import path

from . import views

app_name = "itsec"

urlpatterns = [
    path("", views.index, name="index"),
    path("tai-san/", views.asset_list, name="asset_list"),
    path("tai-san/them/", views.asset_create, name="asset_create"),
    path("tai-san/sua-hang-loat/", views.asset_bulk_edit, name="asset_bulk_edit"),
    path("tai-san/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("tai-san/<int:pk>/sua/", views.asset_edit, name="asset_edit"),
    path("tai-san/<int:pk>/trang-thai/", views.asset_transition, name="asset_transition"),
    path("tai-san/<int:pk>/bao-tri/", views.asset_service, name="asset_service"),
    path("nhap/", views.import_start, name="import_start"),
    path("nhap/<uuid:pk>/", views.import_job, name="import_job"),
    path("nhap/<uuid:pk>/tien-do/", views.import_job_status, name="import_job_status"),
    path("su-co/", views.incident_list, name="incident_list"),
    path("su-co/bao-cao/", views.incident_create, name="incident_create"),
    path("su-co/thong-ke/", views.incident_stats, name="incident_stats"),
    path("su-co/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("su-co/<int:pk>/phan-loai/", views.incident_triage, name="incident_triage"),
    path("su-co/<int:pk>/xu-ly/", views.incident_step, name="incident_step"),
    path("su-co/<int:pk>/dong/", views.incident_close, name="incident_close"),
    path("su-co/<int:pk>/khong-phai-su-co/", views.incident_reject, name="incident_reject"),
    path("su-co/<int:pk>/bao-cao.pdf", views.incident_report_pdf, name="incident_report_pdf"),
    path("he-thong/", views.system_list, name="system_list"),
    path("he-thong/them/", views.system_edit, name="system_create"),
    path("he-thong/<int:pk>/", views.system_detail, name="system_detail"),
    path("he-thong/<int:pk>/sua/", views.system_edit, name="system_edit"),
    path("he-thong/<int:pk>/xac-dinh-cap-do/", views.system_classify, name="system_classify"),
    path("he-thong/<int:pk>/cap-do/<str:to_status>/", views.system_level, name="system_level"),
    path("he-thong/<int:pk>/ho-so-de-xuat.docx", views.system_dossier, name="system_dossier"),
    path("he-thong/<int:pk>/tu-danh-gia/", views.system_assess, name="system_assess"),
    path("khac-phuc/<int:pk>/hoan-thanh/", views.remediation_done, name="remediation_done"),
    path("don-vi/", views.units, name="units"),
    path("dao-tao/", views.training, name="training"),
]
