"""Information API routes (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.information.api import views

router = SimpleRouter()
router.register("messages", views.MessageViewSet, basename="message")

urlpatterns = router.urls
