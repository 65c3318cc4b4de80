"""Export API routes (see reporting/api/urls.py): ``exports``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reporting.exports.api import views as export_views

router = SimpleRouter()
router.register("exports", export_views.ExportJobViewSet, basename="export")

urlpatterns = [
    *router.urls,
    path("ks-summary/", export_views.KsSummaryView.as_view(), name="ks-summary"),
]
