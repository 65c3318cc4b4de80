from django.urls import include, path
from rest_framework.routers import DefaultRouter

from networks.structure.api import views

router = DefaultRouter()
router.root_view_name = "root"
router.register("offices", views.OfficeViewSet, basename="office")
router.register("counties", views.CountyViewSet, basename="county")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("networks", views.NetworkViewSet, basename="network")
router.register(
    "network-memberships", views.NetworkMembershipViewSet, basename="network-membership"
)
router.register("councils", views.CouncilViewSet, basename="council")
router.register("contacts", views.ContactEntryViewSet, basename="contact")
router.register(
    "council-memberships", views.CouncilMembershipViewSet, basename="council-membership"
)
router.register("neighbour-links", views.NeighbourLinkViewSet, basename="neighbour-link")

urlpatterns = [
    *router.urls,
    path("", include("networks.library.api.urls")),
    path("", include("networks.comment_rounds.api.urls")),
    path("", include("networks.action_cards.api.urls")),
    path("", include("networks.resources.api.urls")),
    path("", include("networks.aid.api.urls")),
    path("", include("networks.information.api.urls")),
    path("", include("networks.meetings.api.urls")),
]
