"""dashboard API routes (see reporting/api/urls.py)."""

urlpatterns = []
