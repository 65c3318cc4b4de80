"""Comment rounds and action cards in the API (included from networks/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from networks.comment_rounds.api import views as hearing_views

router = SimpleRouter()
router.register("comment-rounds", hearing_views.CommentRoundViewSet, basename="comment-round")
router.register(
    "document-comments", hearing_views.DocumentCommentViewSet, basename="document-comment"
)
router.register("action-cards", hearing_views.ActionCardViewSet, basename="action-card")

urlpatterns = router.urls
