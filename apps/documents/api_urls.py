# API endpoints of this module, mounted under /api/v1/documents/.
from django.urls import path

from . import api

urlpatterns = [
    path("incoming/", api.IncomingList.as_view(), name="incoming_list"),
    path("incoming/<id:pk>/", api.IncomingDetail.as_view(), name="incoming_detail"),
    path("outgoing/", api.OutgoingList.as_view(), name="outgoing_list"),
    path("outgoing/<id:pk>/", api.OutgoingDetail.as_view(), name="outgoing_detail"),
    path("signatures/verify/", api.SignatureCheck.as_view(), name="signature_check"),
]
