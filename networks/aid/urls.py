"""Mutual-aid pages (included from networks/urls.py): requests for assistance and offers,
the State Administrator's regional overview, joint procurement."""

from django.urls import path

from networks.aid import views

urlpatterns = [
    path("bistand/", views.RequestListView.as_view(), name="aid-request-list"),
    path("bistand/ny/", views.RequestCreateView.as_view(), name="aid-request-create"),
    path("bistand/region/", views.RegionalOverviewView.as_view(), name="aid-overview"),
    path("bistand/<uuid:uuid>/", views.RequestDetailView.as_view(), name="aid-request-detail"),
    path("bistand/<uuid:uuid>/tilbud/", views.OfferCreateView.as_view(), name="aid-offer-create"),
    path("bistand/<uuid:uuid>/lukk/", views.RequestCloseView.as_view(), name="aid-request-close"),
    path(
        "bistand/<uuid:uuid>/videresend/",
        views.RequestRedirectView.as_view(),
        name="aid-request-redirect",
    ),
    path(
        "bistand/tilbud/<uuid:uuid>/godta/",
        views.OfferDecisionView.as_view(decision="accept"),
        name="aid-offer-accept",
    ),
    path(
        "bistand/tilbud/<uuid:uuid>/avsla/",
        views.OfferDecisionView.as_view(decision="decline"),
        name="aid-offer-decline",
    ),
    path(
        "bistand/tilbud/<uuid:uuid>/trekk/",
        views.OfferDecisionView.as_view(decision="withdraw"),
        name="aid-offer-withdraw",
    ),
    path("innkjop/", views.ProcurementListView.as_view(), name="procurement-list"),
    path("innkjop/ny/", views.ProcurementCreateView.as_view(), name="procurement-create"),
    path("innkjop/<uuid:uuid>/", views.ProcurementDetailView.as_view(), name="procurement-detail"),
    path(
        "innkjop/<uuid:uuid>/antall/",
        views.ProcurementQuantitiesView.as_view(),
        name="procurement-quantities",
    ),
    path(
        "innkjop/<uuid:uuid>/bestillingsgrunnlag.xlsx",
        views.ProcurementExportView.as_view(),
        name="procurement-export",
    ),
]
