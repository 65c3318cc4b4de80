"""Resource overview and assistance agreement pages (included from networks/urls.py)."""

from django.urls import path

from networks.resources import views

urlpatterns = [
    path("ressurser/", views.ResourceListView.as_view(), name="resource-list"),
    path("ressurser/ny/", views.ResourceEditView.as_view(), name="resource-create"),
    path("ressurser/<uuid:uuid>/", views.ResourceDetailView.as_view(), name="resource-detail"),
    path("ressurser/<uuid:uuid>/endre/", views.ResourceEditView.as_view(), name="resource-edit"),
    path("ressurser/<uuid:uuid>/del/", views.ResourceShareView.as_view(), name="resource-share"),
    path("avtaler/", views.AgreementListView.as_view(), name="agreement-list"),
    path("avtaler/ny/", views.AgreementEditView.as_view(), name="agreement-create"),
    path("avtaler/<uuid:uuid>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("avtaler/<uuid:uuid>/endre/", views.AgreementEditView.as_view(), name="agreement-edit"),
]
