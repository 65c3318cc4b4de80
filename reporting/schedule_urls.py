"""schedule pages (see reporting/urls.py)."""

urlpatterns = []
