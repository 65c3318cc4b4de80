"""Meeting API routes (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.meetings.api import views

router = SimpleRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("meeting-follow-ups", views.FollowUpViewSet, basename="follow-up")

urlpatterns = router.urls
