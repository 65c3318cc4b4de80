"""Varsler through the API: the user's own notifications, and marking them read."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api import ScopedViewSetMixin
from portal.models import Notification
from portal.notifications.actions import do_mark_read
from portal.notifications.api.serializers import NotificationSerializer

READ_ALL = inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones.")]
    ),
    read=extend_schema(request=None, responses={200: NotificationSerializer}),
    read_all=extend_schema(request=None, responses={200: READ_ALL}),
)
class NotificationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Varsler: your own notifications (new rounds, reminders, published pictures,
    acknowledgements, comments), newest first. Nobody sees anyone else's."""

    model = Notification
    serializer_class = NotificationSerializer
    lookup_field = "uuid"

    def scope_queryset(self, queryset):
        if self.action == "list" and self.request.query_params.get("unread") in ("true", "1"):
            queryset = queryset.unread()
        return queryset.order_by("-created_at", "-id")

    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        """Mark the notification read."""
        notification = self.get_object()
        do_mark_read(acting_user=request.user, uuids=[notification.uuid])
        notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, *args, **kwargs):
        """Mark every unread notification of yours read."""
        return Response({"marked": do_mark_read(acting_user=request.user)})
