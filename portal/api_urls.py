from django.conf import settings
from django.urls import path
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
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from portal.api import ScopedViewSetMixin
from portal.models import Notification, RoleAssignment
from portal.notifications.actions import do_mark_read


class RoleAssignmentSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation.uuid")
    organisation_name = serializers.CharField(source="organisation.name")
    network = serializers.SlugRelatedField(read_only=True, allow_null=True, slug_field="slug")

    class Meta:
        model = RoleAssignment
        fields = ["organisation", "organisation_name", "role", "network", "title"]


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")
    roles = RoleAssignmentSerializer(many=True)


class MeView(APIView):
    """The authenticated user, their organisations and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        roles = (
            RoleAssignment.objects.visible_to(request.user)
            .filter(user=request.user)
            .select_related("organisation", "network")
        )
        request.user.roles = roles
        return Response(MeSerializer(request.user).data)


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    url = serializers.SerializerMethodField(help_text="The page the notification is about.")
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]

    def get_url(self, notification) -> str:
        if not notification.url:
            return ""
        return settings.SITE_URL.rstrip("/") + notification.url

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


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


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
