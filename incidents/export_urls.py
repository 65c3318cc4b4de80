"""The export page. Kept apart from the incident pages; incidents/urls.py adds these
patterns to its own, so they share the "incidents" namespace (two includes with one
namespace would hide each other's names from reverse())."""

from django.urls import path

from incidents import export_views

app_name = "incidents"

urlpatterns = [
    path(
        "hendelser/<uuid:uuid>/eksport/",
        export_views.IncidentExportView.as_view(),
        name="export",
    ),
]
