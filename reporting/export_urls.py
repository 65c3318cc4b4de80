"""export pages (see reporting/urls.py)."""

urlpatterns = []
