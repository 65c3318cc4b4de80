"""The preparedness structure's pages: the directory, networks, councils, the map, rosters."""

from django.urls import path

from networks.structure import views

urlpatterns = [
    path("katalog/", views.OfficeListView.as_view(), name="office-list"),
    path(
        "katalog/statsforvaltere/<slug:slug>/",
        views.OfficeDetailView.as_view(),
        name="office-detail",
    ),
    path("katalog/fylker/<str:number>/", views.CountyDetailView.as_view(), name="county-detail"),
    path("katalog/kommuner/", views.MunicipalityListView.as_view(), name="municipality-list"),
    path(
        "katalog/kommuner/<str:number>/",
        views.MunicipalityDetailView.as_view(),
        name="municipality-detail",
    ),
    path("nettverk/", views.NetworkListView.as_view(), name="network-list"),
    path("nettverk/<slug:slug>/", views.NetworkDetailView.as_view(), name="network-detail"),
    path(
        "nettverk/<slug:slug>/medlemmer/ny/",
        views.NetworkMemberAddView.as_view(),
        name="network-member-add",
    ),
    path(
        "nettverk/<slug:slug>/medlemmer/<uuid:uuid>/avslutt/",
        views.NetworkMemberEndView.as_view(),
        name="network-member-end",
    ),
    path("beredskapsrad/", views.CouncilListView.as_view(), name="council-list"),
    path("beredskapsrad/<slug:slug>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path(
        "beredskapsrad/<slug:slug>/medlemmer/ny/",
        views.CouncilMemberAddView.as_view(),
        name="council-member-add",
    ),
    path(
        "beredskapsrad/<slug:slug>/medlemmer/<uuid:uuid>/avslutt/",
        views.CouncilMemberEndView.as_view(),
        name="council-member-end",
    ),
    path(
        "katalog/statsforvaltere/<slug:slug>/naboer/",
        views.OfficeNeighboursView.as_view(),
        name="office-neighbours",
    ),
    path(
        "katalog/statsforvaltere/<slug:slug>/naboer/ny/",
        views.NeighbourAddView.as_view(),
        name="neighbour-add",
    ),
    path(
        "katalog/statsforvaltere/<slug:slug>/naboer/<uuid:uuid>/fjern/",
        views.NeighbourRemoveView.as_view(),
        name="neighbour-remove",
    ),
    path("kart/", views.MapView.as_view(), name="map"),
    path(
        "organisasjoner/<uuid:org_uuid>/beredskapskontakter/",
        views.RosterView.as_view(),
        name="roster",
    ),
    path(
        "organisasjoner/<uuid:org_uuid>/beredskapskontakter/ny/",
        views.RosterEditView.as_view(),
        name="roster-add",
    ),
    path(
        "organisasjoner/<uuid:org_uuid>/beredskapskontakter/<uuid:uuid>/",
        views.RosterEditView.as_view(),
        name="roster-edit",
    ),
    path(
        "organisasjoner/<uuid:org_uuid>/beredskapskontakter/<uuid:uuid>/slett/",
        views.RosterDeleteView.as_view(),
        name="roster-delete",
    ),
    path("organisasjoner/<uuid:org_uuid>/personer/", views.PeopleView.as_view(), name="people"),
]
