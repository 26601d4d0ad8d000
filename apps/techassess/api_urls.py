# API endpoints of this module, mounted under /api/v1/techassess/.
from django.urls import path

from . import api

urlpatterns = [
    path("results/", api.ResultList.as_view(), name="results"),
    path("results/<id:pk>/", api.ResultDetail.as_view(), name="result"),
    path("aggregates/", api.Aggregates.as_view(), name="aggregates"),
    path("surveys/", api.SurveySubmit.as_view(), name="survey_submit"),
]
