"""The pages of incidents, crisis frames, the log and tasks."""

from django.urls import path

from incidents.log.views import exports as export_views
from incidents.log.views import frames, log, search, tasks
from incidents.log.views import incidents as incident_views

urlpatterns = [
    path("hendelser/", incident_views.IncidentListView.as_view(), name="incident-list"),
    path("hendelser/ny/", incident_views.IncidentCreateView.as_view(), name="incident-create"),
    path("hendelser/kriser/", frames.FrameListView.as_view(), name="frame-list"),
    path("hendelser/kriser/ny/", frames.FrameCreateView.as_view(), name="frame-create"),
    path("hendelser/kriser/<uuid:uuid>/", frames.FrameDetailView.as_view(), name="frame-detail"),
    path("hendelser/kriser/<uuid:uuid>/endre/", frames.FrameEditView.as_view(), name="frame-edit"),
    path("hendelser/sok/", search.SearchView.as_view(), name="search"),
    path("hendelser/mine-oppgaver/", tasks.MyTasksView.as_view(), name="my-tasks"),
    path(
        "hendelser/vedlegg/<uuid:uuid>/",
        log.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path(
        "hendelser/oppgaver/<uuid:uuid>/status/",
        tasks.TaskStatusView.as_view(),
        name="task-status",
    ),
    path(
        "hendelser/<uuid:uuid>/",
        incident_views.IncidentDetailView.as_view(),
        name="incident-detail",
    ),
    path(
        "hendelser/<uuid:uuid>/endre/",
        incident_views.IncidentEditView.as_view(),
        name="incident-edit",
    ),
    path(
        "hendelser/<uuid:uuid>/status/",
        incident_views.IncidentStatusView.as_view(),
        name="incident-status",
    ),
    path(
        "hendelser/<uuid:uuid>/del/",
        incident_views.IncidentShareView.as_view(),
        name="incident-share",
    ),
    path("hendelser/<uuid:uuid>/logg/", log.LogView.as_view(), name="log"),
    path("hendelser/<uuid:uuid>/logg/nye/", log.LogUpdatesView.as_view(), name="log-updates"),
    path("hendelser/<uuid:uuid>/logg/ny/", log.EntryCreateView.as_view(), name="entry-create"),
    path(
        "hendelser/<uuid:uuid>/logg/<uuid:entry_uuid>/",
        log.EntryDetailView.as_view(),
        name="entry-detail",
    ),
    path(
        "hendelser/<uuid:uuid>/logg/<uuid:entry_uuid>/rett/",
        log.EntryCorrectView.as_view(),
        name="entry-correct",
    ),
    path("hendelser/<uuid:uuid>/oppgaver/", tasks.TaskListView.as_view(), name="task-list"),
    path("hendelser/<uuid:uuid>/oppgaver/ny/", tasks.TaskCreateView.as_view(), name="task-create"),
]

urlpatterns.append(
    path("hendelser/<uuid:uuid>/eksport/", export_views.IncidentExportView.as_view(), name="export")
)
