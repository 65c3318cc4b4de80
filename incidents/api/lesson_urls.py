"""Lessons and exercises API routes (included from incidents/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from incidents.api import lesson_views as views

router = SimpleRouter()
router.register("lessons", views.LessonViewSet, basename="lesson")
router.register("exercises", views.ExerciseViewSet, basename="exercise")

urlpatterns = router.urls
