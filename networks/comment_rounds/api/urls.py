"""Comment rounds in the API (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.comment_rounds.api import views

router = SimpleRouter()
router.register("comment-rounds", views.CommentRoundViewSet, basename="comment-round")
router.register("document-comments", views.DocumentCommentViewSet, basename="document-comment")

urlpatterns = router.urls
