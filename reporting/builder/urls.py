"""The form builder's pages (see reporting/urls.py and reporting/builder/views.py)."""

from django.urls import path

from reporting.builder import views

urlpatterns = [
    path("rapportering/skjemabygger/", views.BuilderListView.as_view(), name="builder-list"),
    path("rapportering/skjemabygger/ny/", views.BuilderCreateView.as_view(), name="builder-create"),
    path(
        "rapportering/skjemabygger/<uuid:uuid>/",
        views.BuilderEditView.as_view(),
        name="builder-edit",
    ),
    path(
        "rapportering/skjemabygger/<uuid:uuid>/forhandsvisning/",
        views.BuilderPreviewView.as_view(),
        name="builder-preview",
    ),
    path(
        "rapportering/skjemabygger/<uuid:uuid>/publiser/",
        views.BuilderPublishView.as_view(),
        name="builder-publish",
    ),
    path(
        "rapportering/skjemabygger/<uuid:uuid>/kopier/",
        views.BuilderCopyView.as_view(),
        name="builder-copy",
    ),
]
