"""Resource overview and assistance agreement API routes (included from
networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.resources.api import views

router = SimpleRouter()
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("resource-shares", views.ResourceShareViewSet, basename="resource-share")
router.register("agreements", views.AgreementViewSet, basename="agreement")

urlpatterns = router.urls
