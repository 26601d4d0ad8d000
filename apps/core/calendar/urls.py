from django.urls import path

from .api import AddWorkingDaysView

urlpatterns = [
    path("api/cong-ngay-lam-viec/", AddWorkingDaysView.as_view(), name="add_working_days"),
]
