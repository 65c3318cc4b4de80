from django.urls import include, path

from incidents.views import exports as export_views
from incidents.views import pages as views

app_name = "incidents"

urlpatterns = [
    path("hendelser/", views.IncidentListView.as_view(), name="incident-list"),
    path("hendelser/ny/", views.IncidentCreateView.as_view(), name="incident-create"),
    path("hendelser/kriser/", views.FrameListView.as_view(), name="frame-list"),
    path("hendelser/kriser/ny/", views.FrameCreateView.as_view(), name="frame-create"),
    path("hendelser/kriser/<uuid:uuid>/", views.FrameDetailView.as_view(), name="frame-detail"),
    path("hendelser/kriser/<uuid:uuid>/endre/", views.FrameEditView.as_view(), name="frame-edit"),
    path("hendelser/sok/", views.SearchView.as_view(), name="search"),
    path("hendelser/mine-oppgaver/", views.MyTasksView.as_view(), name="my-tasks"),
    path(
        "hendelser/vedlegg/<uuid:uuid>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path(
        "hendelser/oppgaver/<uuid:uuid>/status/",
        views.TaskStatusView.as_view(),
        name="task-status",
    ),
    path("hendelser/<uuid:uuid>/", views.IncidentDetailView.as_view(), name="incident-detail"),
    path("hendelser/<uuid:uuid>/endre/", views.IncidentEditView.as_view(), name="incident-edit"),
    path(
        "hendelser/<uuid:uuid>/status/", views.IncidentStatusView.as_view(), name="incident-status"
    ),
    path("hendelser/<uuid:uuid>/del/", views.IncidentShareView.as_view(), name="incident-share"),
    path("hendelser/<uuid:uuid>/logg/", views.LogView.as_view(), name="log"),
    path("hendelser/<uuid:uuid>/logg/nye/", views.LogUpdatesView.as_view(), name="log-updates"),
    path("hendelser/<uuid:uuid>/logg/ny/", views.EntryCreateView.as_view(), name="entry-create"),
    path(
        "hendelser/<uuid:uuid>/logg/<uuid:entry_uuid>/",
        views.EntryDetailView.as_view(),
        name="entry-detail",
    ),
    path(
        "hendelser/<uuid:uuid>/logg/<uuid:entry_uuid>/rett/",
        views.EntryCorrectView.as_view(),
        name="entry-correct",
    ),
    path("hendelser/<uuid:uuid>/oppgaver/", views.TaskListView.as_view(), name="task-list"),
    path("hendelser/<uuid:uuid>/oppgaver/ny/", views.TaskCreateView.as_view(), name="task-create"),
]

urlpatterns.append(
    path("hendelser/<uuid:uuid>/eksport/", export_views.IncidentExportView.as_view(), name="export")
)
# Lessons learned and exercises (incidents/lessons/urls.py).
urlpatterns.append(path("", include("incidents.lessons.urls")))
