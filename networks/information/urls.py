"""Information-down pages (included from networks/urls.py)."""

from django.urls import path

from networks.information import views

urlpatterns = [
    path("meldinger/", views.MessageListView.as_view(), name="message-list"),
    path("meldinger/ny/", views.MessageCreateView.as_view(), name="message-create"),
    path("meldinger/<uuid:uuid>/", views.MessageDetailView.as_view(), name="message-detail"),
    path(
        "meldinger/<uuid:uuid>/lesestatus/",
        views.MessageReceiptsView.as_view(),
        name="message-receipts",
    ),
    path(
        "meldinger/<uuid:uuid>/lesestatus/oppdateringer/",
        views.MessageReceiptsUpdatesView.as_view(),
        name="message-receipts-updates",
    ),
    path(
        "meldinger/<uuid:uuid>/purring/", views.MessageRemindView.as_view(), name="message-remind"
    ),
    path("meldinger/<uuid:uuid>/sporsmal/", views.QuestionCreateView.as_view(), name="message-ask"),
    path("meldinger/sporsmal/<uuid:uuid>/svar/", views.AnswerView.as_view(), name="message-answer"),
    path(
        "meldinger/vedlegg/<uuid:uuid>/",
        views.MessageAttachmentView.as_view(),
        name="message-attachment",
    ),
    path("meldinger/<uuid:uuid>/cap.xml", views.MessageCapView.as_view(), name="message-cap"),
]
