"""Lessons and exercises pages (included from incidents/urls.py)."""

urlpatterns = []
