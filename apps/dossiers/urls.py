from django.urls import path, register_converter

from . import views
from .status_links import StatusLinkConverter

register_converter(StatusLinkConverter, "status_link")  # signed, not the sequential id

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/xu-ly/<slug:action>/", views.act, name="act"),
    path("<id:pk>/mau/<str:number>/", views.form_pdf, name="form_pdf"),
    path("<id:pk>/bien-lai/", views.fee_receipt, name="fee_receipt"),
    path("tiep-nhan-truc-tiep/", views.walk_in, name="walk_in"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("doi-soat-thanh-toan/", views.reconciliation, name="reconciliation"),
    path("nop-truc-tuyen/", views.catalogue_list, name="online_list"),
    path("nop-truc-tuyen/xac-minh/", views.verify_contact, name="verify_contact"),
    path("nop-truc-tuyen/thu-tuc/<id:procedure_id>/", views.submit_start, name="submit_start"),
    path("nop-truc-tuyen/<id:version_id>/", views.submit_online, name="submit_online"),
    path("nop-truc-tuyen/<id:version_id>/tiep-tuc/<uuid:token>/", views.submit_online, name="resume"),
    path("cua-toi/", views.mine, name="mine"),
    path("tra-cuu/", views.status, name="status"),
    path("tra-cuu/<status_link:pk>/", views.status_detail, name="status_detail"),
    path("tra-cuu/<status_link:pk>/bo-sung/", views.status_supplement, name="status_supplement"),
    path("tra-cuu/<status_link:pk>/danh-gia/", views.status_rate, name="status_rate"),
    path("tra-cuu/<status_link:pk>/ket-qua/", views.status_result, name="status_result"),
    path("tra-cuu/<status_link:pk>/giay-tiep-nhan/", views.status_receipt, name="status_receipt"),
    path("tra-cuu/<status_link:pk>/thanh-toan/", views.status_pay, name="status_pay"),
    path("tra-cuu/<status_link:pk>/bien-lai/", views.status_fee_receipt, name="status_fee_receipt"),
    path("thanh-toan/thong-bao/<slug:gateway>/", views.payment_callback, name="payment_callback"),
]
