"""Dashboard pages, compilations, the published picture, and the review of a
submission (see reporting/urls.py; the names live in the "reporting" namespace)."""

from django.urls import path

from reporting.dashboards import trends, views

urlpatterns = [
    path(
        "rapportering/runder/<uuid:uuid>/oversikt/",
        views.DashboardView.as_view(),
        name="dashboard",
    ),
    path(
        "rapportering/runder/<uuid:uuid>/oversikt/live/",
        views.DashboardLiveView.as_view(),
        name="dashboard-live",
    ),
    path(
        "rapportering/runder/<uuid:uuid>/sammenstill/",
        views.CompileView.as_view(),
        name="compile",
    ),
    path(
        "rapportering/runder/<uuid:uuid>/nasjonalt/",
        views.NationalView.as_view(),
        name="national",
    ),
    path(
        "rapportering/runder/<uuid:uuid>/nasjonalt/live/",
        views.NationalLiveView.as_view(),
        name="national-live",
    ),
    path(
        "rapportering/sammenstillinger/<uuid:uuid>/",
        views.CompilationView.as_view(),
        name="compilation",
    ),
    path(
        "rapportering/situasjonsbilde/<uuid:uuid>/",
        views.PictureView.as_view(),
        name="picture",
    ),
    path(
        "rapportering/situasjonsbilde/<uuid:uuid>/utvikling/",
        trends.PictureTrendView.as_view(),
        name="picture-trend",
    ),
    path(
        "rapportering/innsendinger/<uuid:uuid>/kvitter/",
        views.AcknowledgeView.as_view(),
        name="submission-acknowledge",
    ),
    path(
        "rapportering/innsendinger/<uuid:uuid>/kommentarer/",
        views.CommentView.as_view(),
        name="submission-comment",
    ),
]
