from django.db.models import Max, Prefetch
from rest_framework import mixins, viewsets

from portal.api import ScopedViewSetMixin
from reporting.api import serializers as s
from reporting.models import ReportForm, ReportFormVersion


class ReportFormViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rapportskjema: the report forms municipalities report on, visible to every
    signed-in user. The detail holds the latest version's definition and the list of
    published versions (a round always uses the version it was issued with)."""

    model = ReportForm
    serializer_class = s.ReportFormSerializer
    lookup_field = "uuid"
    filterset_fields = ["track", "kind"]

    def get_serializer_class(self):
        return s.ReportFormDetailSerializer if self.action == "retrieve" else s.ReportFormSerializer

    def scope_queryset(self, queryset):
        queryset = (
            queryset.select_related("owner")
            .annotate(latest_number=Max("versions__number"))
            .order_by("owner__name", "title", "id")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "versions",
                    queryset=ReportFormVersion.objects.visible_to(self.request.user).order_by(
                        "-number"
                    ),
                    to_attr="published_versions",
                )
            )
        return queryset

    def get_object(self):
        form = super().get_object()
        form.latest = form.published_versions[0] if form.published_versions else None
        return form
