from django.urls import path

from portal.notifications import views as notification_views

app_name = "portal"

urlpatterns = [
    path("varsler/", notification_views.NotificationListView.as_view(), name="notifications"),
    path(
        "varsler/les-alle/",
        notification_views.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "varsler/<uuid:uuid>/les/",
        notification_views.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
