from django.urls import include, path

from reporting.views import forms as views
from reporting.views import rounds as round_views

app_name = "reporting"

urlpatterns = [
    path("rapportering/skjema/", views.FormListView.as_view(), name="form-list"),
    path("rapportering/skjema/<uuid:uuid>/", views.FormDetailView.as_view(), name="form-detail"),
    path("rapportering/runder/", round_views.RoundListView.as_view(), name="round-list"),
    path("rapportering/runder/ny/", round_views.RoundCreateView.as_view(), name="round-create"),
    path(
        "rapportering/runder/<uuid:uuid>/",
        round_views.RoundDetailView.as_view(),
        name="round-detail",
    ),
    path(
        "rapportering/runder/<uuid:uuid>/lukk/",
        round_views.RoundCloseView.as_view(),
        name="round-close",
    ),
    path(
        "rapportering/innsendinger/<uuid:uuid>/",
        round_views.SubmissionView.as_view(),
        name="submission",
    ),
    # Dashboards, compilations and the published picture; exports and KS summaries;
    # recurring rounds. Each in its own module, included here without a prefix.
    path("", include("reporting.dashboards.urls")),
    path("", include("reporting.exports.urls")),
    path("", include("reporting.schedules.urls")),
    path("", include("reporting.builder.urls")),
]
