from django.urls import include, path
from rest_framework.routers import DefaultRouter

from networks.api import views

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

urlpatterns = [
    *router.urls,
    path("", include("networks.api.library_urls")),
    path("", include("networks.api.hearing_urls")),
    path("", include("networks.api.resource_urls")),
    path("", include("networks.api.aid_urls")),
]
