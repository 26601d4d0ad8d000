# API endpoints of this module, mounted under /api/v1/itsec/.
from django.urls import path

from . import api

urlpatterns = [
    path("assets/", api.AssetList.as_view(), name="asset_list"),
    path("assets/<str:code>/", api.AssetDetail.as_view(), name="asset_detail"),
    path("systems/", api.SystemList.as_view(), name="system_list"),
    path("systems/<id:pk>/", api.SystemDetail.as_view(), name="system_detail"),
    path("incidents/", api.IncidentList.as_view(), name="incident_list"),
    path("incidents/<str:code>/", api.IncidentDetail.as_view(), name="incident_detail"),
]
