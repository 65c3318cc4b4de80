from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reporting.api import external as report_views
from reporting.api import views

# SimpleRouter: the API root view belongs to networks/api/urls.py's DefaultRouter.
router = SimpleRouter()
router.register("report-forms", views.ReportFormViewSet, basename="report-form")
router.register("reporting-rounds", views.ReportingRoundViewSet, basename="reporting-round")
router.register("submissions", views.SubmissionViewSet, basename="submission")

urlpatterns = [
    *router.urls,
    path(
        "reporting-rounds/<uuid:uuid>/reports/",
        report_views.ExternalReportView.as_view(),
        name="reporting-round-reports",
    ),
    path("", include("reporting.dashboards.api.urls")),
    path("", include("reporting.exports.api.urls")),
    path("", include("reporting.schedules.api.urls")),
    path("", include("reporting.builder.api.urls")),
]
