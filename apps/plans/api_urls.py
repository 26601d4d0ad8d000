# API endpoints of this module, mounted under /api/v1/plans/.
from django.urls import path

from . import api

urlpatterns = [
    path("", api.PlanList.as_view(), name="plan_list"),
    path("<id:pk>/", api.PlanDetail.as_view(), name="plan_detail"),
]
