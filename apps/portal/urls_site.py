"""Public-site views that Wagtail does not serve itself (search, feeds, directories)."""

urlpatterns: list = []
