from . import urls_office, urls_site

app_name = "portal"

urlpatterns = urls_site.urlpatterns + urls_office.urlpatterns
