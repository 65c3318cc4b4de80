"""aid pages (included from networks/urls.py)."""

urlpatterns = []
