"""Dashboard and compilation API routes (see reporting/api/urls.py; the "api" namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reporting.dashboards.api import comparisons, views

router = SimpleRouter()
router.register("compilations", views.CompilationViewSet, basename="compilation")

urlpatterns = [
    *router.urls,
    path(
        "reporting-rounds/<uuid:uuid>/dashboard/",
        views.RoundDashboardView.as_view(),
        name="reporting-round-dashboard",
    ),
    path(
        "compilations/<uuid:uuid>/peers/",
        comparisons.PeersView.as_view(),
        name="compilation-peers",
    ),
    path(
        "compilations/<uuid:uuid>/trend/",
        comparisons.TrendView.as_view(),
        name="compilation-trend",
    ),
]
