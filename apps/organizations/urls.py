from django.urls import path

from . import indicators_views, views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<id:pk>/", views.detail, name="detail"),
    path("chi-so/", indicators_views.indicator_list, name="indicators"),
]
