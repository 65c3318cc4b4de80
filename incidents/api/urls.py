from django.urls import include, path
from rest_framework.routers import SimpleRouter

from incidents.log.api import views

# SimpleRouter: the API root view belongs to networks/api/urls.py's DefaultRouter.
router = SimpleRouter()
router.register("crisis-frames", views.CrisisFrameViewSet, basename="crisis-frame")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("entries", views.LogEntryViewSet, basename="entry")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
router.register("shares", views.ShareViewSet, basename="share")
router.register("tasks", views.TaskViewSet, basename="task")

urlpatterns = [*router.urls, path("", include("incidents.lessons.api.urls"))]
