"""library API routes (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.library.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("adoptions", views.AdoptionViewSet, basename="adoption")

urlpatterns = router.urls
