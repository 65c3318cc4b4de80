"""Recurring rounds (see reporting/urls.py and reporting/schedules/views.py)."""

from django.urls import path

from reporting.schedules import views as schedule_views

urlpatterns = [
    path(
        "rapportering/faste-runder/",
        schedule_views.ScheduleListView.as_view(),
        name="schedule-list",
    ),
    path(
        "rapportering/faste-runder/ny/",
        schedule_views.ScheduleCreateView.as_view(),
        name="schedule-create",
    ),
    path(
        "rapportering/faste-runder/<uuid:uuid>/stopp/",
        schedule_views.ScheduleStopView.as_view(),
        name="schedule-stop",
    ),
]
