"""Editorial office: royalties and citizen questions (public and staff views)."""

urlpatterns: list = []
