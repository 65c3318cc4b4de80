"""Lessons and exercises API routes (included from incidents/api/urls.py)."""

urlpatterns = []
