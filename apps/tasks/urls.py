from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("don-vi/", views.unit_tasks, name="unit_tasks"),
    path("theo-doi/", views.board, name="board"),
    path("giao-viec/", views.task_create, name="task_create"),
    path("nhiem-vu/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("nhiem-vu/<int:pk>/tien-do/", views.assignment_progress, name="assignment_progress"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", views.assignment_report, name="assignment_report"),
    path("nhiem-vu/<int:pk>/gia-han/", views.assignment_extension, name="assignment_extension"),
    path("nhiem-vu/<int:pk>/nghiem-thu/", views.assignment_review, name="assignment_review"),
    path("gia-han/<int:pk>/", views.extension_decide, name="extension_decide"),
    path("cuoc-hop/", views.meeting_list, name="meeting_list"),
    path("cuoc-hop/moi/", views.meeting_create, name="meeting_create"),
    path("cuoc-hop/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("cuoc-hop/<int:pk>/lich.ics", views.meeting_ics_download, name="meeting_ics"),
    path("cuoc-hop/<int:pk>/bien-ban/", views.meeting_minutes, name="meeting_minutes"),
    path("cuoc-hop/<int:pk>/tai-lieu/", views.meeting_document, name="meeting_document"),
    path("cuoc-hop/<int:pk>/huy/", views.meeting_cancel, name="meeting_cancel"),
    path("cuoc-hop/<int:pk>/giao-viec/", views.meeting_task, name="meeting_task"),
    path("lich-cong-tac/", views.weekly_schedule, name="weekly_schedule"),
    path("bao-cao/", views.report_list, name="report_list"),
    path("bao-cao/<int:pk>/", views.unit_report, name="unit_report"),
    path("bao-cao/<int:pk>/duyet/", views.unit_report_review, name="unit_report_review"),
    path("ky-bao-cao/<int:pk>/", views.period_summary, name="period_summary"),
]
