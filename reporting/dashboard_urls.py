"""dashboard pages (see reporting/urls.py)."""

urlpatterns = []
