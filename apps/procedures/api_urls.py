# API endpoints of this module, mounted under /api/v1/<module>/.
urlpatterns: list = []
