from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reporting.start.api.serializers import StartSectionSerializer
from reporting.start.querysets import sections_for


class StartView(APIView):
    """«Nå»: the start page's blocks for the user, a section per role."""

    @extend_schema(responses=StartSectionSerializer(many=True))
    def get(self, request):
        sections = sections_for(request.user, timezone.now())
        return Response(StartSectionSerializer(sections, many=True).data)
