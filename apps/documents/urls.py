from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.incoming_list, name="incoming_list"),
    path("den/moi/", views.incoming_create, name="incoming_create"),
    path("den/<id:pk>/", views.incoming_detail, name="incoming_detail"),
    path("den/<id:pk>/<slug:action>/", views.incoming_action, name="incoming_action"),
    path("di/", views.outgoing_list, name="outgoing_list"),
    path("di/moi/", views.outgoing_create, name="outgoing_create"),
    path("di/<id:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("di/<id:pk>/<slug:action>/", views.outgoing_action, name="outgoing_action"),
    path("kiem-tra-chu-ky/", views.verify, name="verify"),
    path("xem-truoc/<uuid:file_id>/", views.preview, name="preview"),
    path("chu-ky-tay/", views.signature_image, name="signature_image"),
    path("chu-ky-tay/anh/", views.signature_image_ink, name="signature_image_ink"),
    path("che-do-xem/<slug:list_name>/luu/", views.saved_view_create, name="saved_view_create"),
    path("che-do-xem/<id:pk>/xoa/", views.saved_view_delete, name="saved_view_delete"),
]
