from django.urls import path

from . import views

urlpatterns = [
    path("<uuid:pk>/", views.download, name="file_download"),
]
