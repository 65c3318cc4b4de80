"""Action cards in use (tiltakskort): pages (included from networks/urls.py, namespace
"networks")."""

from django.urls import path

from networks.action_cards import views

urlpatterns = [
    path("tiltakskort/", views.ActionCardListView.as_view(), name="action-card-list"),
    path(
        "tiltakskort/<uuid:uuid>/", views.ActionCardDetailView.as_view(), name="action-card-detail"
    ),
    path(
        "tiltakskort/<uuid:uuid>/steg/", views.ActionCardEditView.as_view(), name="action-card-edit"
    ),
    path(
        "tiltakskort/<uuid:uuid>/bruk/",
        views.ActionCardApplyView.as_view(),
        name="action-card-apply",
    ),
]
