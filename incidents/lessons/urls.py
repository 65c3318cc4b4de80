"""Lessons and exercises pages (included from incidents/urls.py)."""

from django.urls import path

from incidents.lessons import views

urlpatterns = [
    path("laering/", views.LessonListView.as_view(), name="lesson-list"),
    path("laering/ny/", views.LessonCreateView.as_view(), name="lesson-create"),
    path("laering/eksport/", views.LessonExportView.as_view(), name="lesson-export"),
    path("laering/ovelser/", views.ExerciseListView.as_view(), name="exercise-list"),
    path("laering/ovelser/ny/", views.ExerciseCreateView.as_view(), name="exercise-create"),
    path(
        "laering/ovelser/<uuid:uuid>/", views.ExerciseDetailView.as_view(), name="exercise-detail"
    ),
    path(
        "laering/ovelser/<uuid:uuid>/endre/",
        views.ExerciseEditView.as_view(),
        name="exercise-edit",
    ),
    path("laering/<uuid:uuid>/", views.LessonDetailView.as_view(), name="lesson-detail"),
    path("laering/<uuid:uuid>/endre/", views.LessonEditView.as_view(), name="lesson-edit"),
    path("laering/<uuid:uuid>/status/", views.LessonStatusView.as_view(), name="lesson-status"),
    path("laering/<uuid:uuid>/del/", views.LessonShareView.as_view(), name="lesson-share"),
]
