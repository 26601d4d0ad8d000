# API endpoints of this module, mounted under /api/v1/dossiers/.
from django.urls import path

from . import api

urlpatterns = [
    path("", api.DossierList.as_view(), name="list"),
    path("submit/", api.DossierSubmit.as_view(), name="submit"),
    path("<str:code>/", api.DossierStatus.as_view(), name="status"),
    path("<str:code>/actions/<slug:action>/", api.DossierAction.as_view(), name="action"),
]
