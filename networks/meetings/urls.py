"""Meeting pages (included from networks/urls.py)."""

from django.urls import path

from networks.meetings import views

urlpatterns = [
    path("moter/", views.MeetingListView.as_view(), name="meeting-list"),
    path("moter/nytt/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("moter/<uuid:uuid>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("moter/<uuid:uuid>/kalender.ics", views.MeetingIcsView.as_view(), name="meeting-ics"),
    path("moter/<uuid:uuid>/svar/", views.ReplyView.as_view(), name="meeting-reply"),
    path("moter/<uuid:uuid>/saksliste/", views.AgendaItemView.as_view(), name="meeting-agenda"),
    path("moter/<uuid:uuid>/oppmote/", views.AttendanceView.as_view(), name="meeting-attendance"),
    path("moter/<uuid:uuid>/referat/", views.MinutesDraftView.as_view(), name="meeting-minutes"),
    path(
        "moter/<uuid:uuid>/referat/publiser/",
        views.PublishMinutesView.as_view(),
        name="meeting-publish",
    ),
    path("moter/<uuid:uuid>/vedtak/", views.DecisionView.as_view(), name="meeting-decision"),
    path("moter/<uuid:uuid>/oppfolging/", views.FollowUpView.as_view(), name="meeting-follow-up"),
    path(
        "moter/oppfolging/<uuid:uuid>/utfort/",
        views.FollowUpDoneView.as_view(),
        name="follow-up-done",
    ),
]
