# API endpoints of this module, mounted under /api/v1/procedures/ (namespace "api:procedures").
from rest_framework.routers import SimpleRouter

from .api import FieldViewSet, ProcedureViewSet

router = SimpleRouter(use_regex_path=False)  # path converters: `lookup_value_converter = "id"`
router.register("fields", FieldViewSet, basename="field")
router.register("catalogue", ProcedureViewSet, basename="procedure")

urlpatterns = router.urls
