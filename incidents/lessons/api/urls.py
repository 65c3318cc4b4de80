"""Lessons and exercises API routes (included from incidents/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from incidents.lessons.api import views

router = SimpleRouter()
router.register("lessons", views.LessonViewSet, basename="lesson")
router.register("exercises", views.ExerciseViewSet, basename="exercise")

urlpatterns = router.urls
