"""Export pages (see reporting/urls.py and reporting/exports/views.py)."""

from django.urls import path

from reporting.exports import views

urlpatterns = [
    path(
        "rapportering/runder/<uuid:uuid>/eksport/<str:fmt>/",
        views.RoundExportView.as_view(),
        name="round-export",
    ),
    path(
        "rapportering/sammenstillinger/<uuid:uuid>/eksport/<str:fmt>/",
        views.CompilationExportView.as_view(),
        name="compilation-export",
    ),
    path("rapportering/ks-sammendrag/", views.KsSummaryView.as_view(), name="ks-summary"),
    path("rapportering/eksporter/", views.ExportListView.as_view(), name="export-list"),
    path("rapportering/eksporter/<uuid:uuid>/", views.ExportJobView.as_view(), name="export-job"),
    path(
        "rapportering/eksporter/<uuid:uuid>/fil/",
        views.ExportDownloadView.as_view(),
        name="export-download",
    ),
]
