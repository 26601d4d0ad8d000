from django.urls import path

from . import views

app_name = "techassess"

urlpatterns = [
    path("", views.home, name="home"),
    path("doanh-nghiep/dang-ky/", views.enterprise_register, name="enterprise_register"),
    path("doanh-nghiep/<id:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("doanh-nghiep/nhan/", views.claim_start, name="claim_start"),
    path("de-nghi-lien-ket/", views.claim_list, name="claim_list"),
    path("de-nghi-lien-ket/<id:pk>/", views.claim_detail, name="claim_detail"),
    path("de-nghi-lien-ket/<id:pk>/ma/", views.claim_verify, name="claim_verify"),
    path("de-nghi-lien-ket/<id:pk>/quyet-dinh/", views.claim_decide, name="claim_decide"),
    path("doanh-nghiep/<id:pk>/phieu-moi/", views.survey_start, name="survey_start"),
    path("phieu/<id:pk>/", views.survey_detail, name="survey_detail"),
    path("phieu/<id:pk>/phan/<slug:section>/", views.survey_section, name="survey_section"),
    path("phieu/<id:pk>/nop/", views.survey_submit, name="survey_submit"),
    path("phieu/<id:pk>/tra-lai/", views.survey_return, name="survey_return"),
    path("phieu/<id:pk>/chap-nhan/", views.survey_accept, name="survey_accept"),
    path("phieu/<id:pk>/tinh-lai/", views.survey_recompute, name="survey_recompute"),
    path("phieu/<id:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("ket-qua/<id:pk>/", views.result_detail, name="result_detail"),
    path("ket-qua/<id:pk>/pdf/", views.result_pdf, name="result_pdf"),
    path("phuong-phap/", views.methodology_list, name="methodology_list"),
    path("phuong-phap/<id:pk>/", views.methodology_detail, name="methodology_detail"),
    path("phuong-phap/<id:pk>/kich-hoat/", views.methodology_activate, name="methodology_activate"),
    path("phuong-phap/<id:pk>/sua/", views.methodology_edit, name="methodology_edit"),
    path(
        "phuong-phap/<id:pk>/phien-ban-moi/", views.methodology_new_version, name="methodology_new_version"
    ),
    path("phuong-phap/<id:pk>/tai-ve.<str:fmt>", views.methodology_export, name="methodology_export"),
    path("tong-hop/", views.aggregates, name="aggregates"),
    path("ket-qua-thong-tu-04/", views.legacy_list, name="legacy_list"),
    path("ket-qua-thong-tu-04/mau.xlsx", views.legacy_template, name="legacy_template"),
    path("nhap-excel/", views.import_start, name="import_start"),
    path("nhap-excel/mau.xlsx", views.import_template, name="import_template"),
    path("nhap-excel/<id:pk>/", views.import_detail, name="import_detail"),
    path("nhap-excel/<id:pk>/tien-do/", views.import_status, name="import_status"),
]
