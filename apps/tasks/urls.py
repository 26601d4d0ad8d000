from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("don-vi/", views.unit_tasks, name="unit_tasks"),
    path("theo-doi/", views.board, name="board"),
    path("giao-viec/", views.task_create, name="task_create"),
    path("nhiem-vu/<id:pk>/", views.assignment_detail, name="assignment_detail"),
    path("nhiem-vu/<id:pk>/tien-do/", views.assignment_progress, name="assignment_progress"),
    path("nhiem-vu/<id:pk>/hoan-thanh/", views.assignment_report, name="assignment_report"),
    path("nhiem-vu/<id:pk>/gia-han/", views.assignment_extension, name="assignment_extension"),
    path("nhiem-vu/<id:pk>/nghiem-thu/", views.assignment_review, name="assignment_review"),
    path("nhiem-vu/<id:pk>/huy/", views.task_cancel, name="task_cancel"),
    path("gia-han/<id:pk>/", views.extension_decide, name="extension_decide"),
    path("cuoc-hop/", views.meeting_list, name="meeting_list"),
    path("cuoc-hop/moi/", views.meeting_create, name="meeting_create"),
    path("cuoc-hop/<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("cuoc-hop/<id:pk>/lich.ics", views.meeting_ics_download, name="meeting_ics"),
    path("cuoc-hop/<id:pk>/bien-ban/", views.meeting_minutes, name="meeting_minutes"),
    path("cuoc-hop/<id:pk>/tai-lieu/", views.meeting_document, name="meeting_document"),
    path("cuoc-hop/<id:pk>/huy/", views.meeting_cancel, name="meeting_cancel"),
    path("cuoc-hop/<id:pk>/doi-lich/", views.meeting_reschedule, name="meeting_reschedule"),
    path("cuoc-hop/<id:pk>/giao-viec/", views.meeting_task, name="meeting_task"),
    path("lich-cong-tac/", views.weekly_schedule, name="weekly_schedule"),
    path("bao-cao/", views.report_list, name="report_list"),
    path("bao-cao/<id:pk>/", views.unit_report, name="unit_report"),
    path("bao-cao/<id:pk>/duyet/", views.unit_report_review, name="unit_report_review"),
    path("ky-bao-cao/<id:pk>/", views.period_summary, name="period_summary"),
    path("bao-cao/dot-xuat/", views.ad_hoc_period, name="ad_hoc_period"),
    path("bao-cao/che-do/", views.regime_list, name="regime_list"),
    path("bao-cao/che-do/moi/", views.regime_form, name="regime_create"),
    path("bao-cao/che-do/<id:pk>/", views.regime_detail, name="regime_detail"),
    path("bao-cao/che-do/<id:pk>/sua/", views.regime_form, name="regime_edit"),
    path("bao-cao/che-do/<id:regime_pk>/bieu-mau/moi/", views.template_form, name="template_create"),
    path("bao-cao/bieu-mau/<id:pk>/", views.template_form, name="template_edit"),
]
