"""The project's URLs plus a one-line view: the ceiling the pages are compared with."""

from django.http import HttpResponse
from django.urls import path

from apps.core import access
from config import urls as project


@access.require(access.PUBLIC)
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project.urlpatterns]

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
