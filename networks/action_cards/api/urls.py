"""Action cards in the API (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.action_cards.api import views

router = SimpleRouter()
router.register("action-cards", views.ActionCardViewSet, basename="action-card")

urlpatterns = router.urls
