"""Mutual-aid API routes (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.aid.api import views

router = SimpleRouter()
router.register("assistance-requests", views.AssistanceRequestViewSet, basename="aid-request")
router.register("assistance-offers", views.AssistanceOfferViewSet, basename="aid-offer")
router.register("joint-procurements", views.JointProcurementViewSet, basename="procurement")

urlpatterns = router.urls
