from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.models import RoleAssignment


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


urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include("portal.notifications.api.urls")),
]
