"""resource API routes (included from networks/api/urls.py)."""

urlpatterns = []
