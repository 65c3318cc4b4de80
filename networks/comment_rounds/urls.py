"""Comment rounds (høring): pages (included from networks/urls.py, namespace "networks")."""

from django.urls import path

from networks.comment_rounds import views

urlpatterns = [
    path("horinger/", views.CommentRoundListView.as_view(), name="comment-round-list"),
    path(
        "bibliotek/<uuid:uuid>/horing/ny/",
        views.CommentRoundCreateView.as_view(),
        name="comment-round-create",
    ),
    path(
        "horinger/<uuid:uuid>/", views.CommentRoundDetailView.as_view(), name="comment-round-detail"
    ),
    path(
        "horinger/<uuid:uuid>/innspill/", views.CommentCreateView.as_view(), name="comment-create"
    ),
    path(
        "horinger/<uuid:uuid>/avslutt/",
        views.CommentRoundCloseView.as_view(),
        name="comment-round-close",
    ),
    path(
        "horinger/innspill/<uuid:uuid>/vurdering/",
        views.CommentDecideView.as_view(),
        name="comment-decide",
    ),
]
