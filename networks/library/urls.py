"""library pages (included from networks/urls.py)."""

from django.urls import path

from networks.library import views

urlpatterns = [
    path("bibliotek/", views.DocumentListView.as_view(), name="document-list"),
    path("bibliotek/nytt/", views.DocumentCreateView.as_view(), name="document-create"),
    path("bibliotek/<uuid:uuid>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path(
        "bibliotek/<uuid:uuid>/ny-versjon/",
        views.DocumentEditView.as_view(),
        name="document-edit",
    ),
    path(
        "bibliotek/<uuid:uuid>/versjoner/",
        views.DocumentVersionListView.as_view(),
        name="document-versions",
    ),
    path(
        "bibliotek/<uuid:uuid>/versjoner/<int:number>/",
        views.DocumentVersionDetailView.as_view(),
        name="document-version",
    ),
    path(
        "bibliotek/<uuid:uuid>/versjoner/<int:number>/fil/",
        views.DocumentFileView.as_view(),
        name="document-file",
    ),
    path(
        "bibliotek/<uuid:uuid>/endringer/", views.DocumentDiffView.as_view(), name="document-diff"
    ),
    path(
        "bibliotek/<uuid:uuid>/mot-opphav/",
        views.DocumentOriginDiffView.as_view(),
        name="document-origin-diff",
    ),
    path("bibliotek/<uuid:uuid>/del/", views.DocumentShareView.as_view(), name="document-share"),
    path(
        "bibliotek/<uuid:uuid>/del/fjern/",
        views.DocumentUnshareView.as_view(),
        name="document-unshare",
    ),
    path(
        "bibliotek/<uuid:uuid>/ta-i-bruk/",
        views.DocumentAdoptView.as_view(),
        name="document-adopt",
    ),
]
