"""Recurring rounds in the API (see reporting/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from reporting.schedules.api import views as schedule_views

router = SimpleRouter()
router.register("round-schedules", schedule_views.RoundScheduleViewSet, basename="round-schedule")

urlpatterns = router.urls
