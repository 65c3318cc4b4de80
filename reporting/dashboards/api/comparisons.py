"""API for like with like: a published picture's peer comparison (your key counts per
1,000 inhabitants beside your region, neighbours, networks and size class, with your
rank) and its trend over the rounds of its series. The same figures as the pages
(``reporting.peers``, ``reporting.trends``): a picture you may not see is 404; the peer
comparison is for the municipality that submitted to the round (others get 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reporting.models import Compilation
from reporting.peers import compare, own_municipality
from reporting.trends import trend


def rate(**extra) -> serializers.DecimalField:
    """A rate per 1,000 inhabitants (two decimals; null when there is none)."""
    return serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, **extra)


class PeerGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["region", "neighbours", "network", "size"])
    slug = serializers.CharField(
        help_text="region, neighbours, the network's slug, or the size class (small, "
        "medium, large)."
    )
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes the field off the class
    answered = serializers.IntegerField(help_text="Municipalities in the group that answered.")
    shown = serializers.BooleanField(
        help_text="False when too few other municipalities answered to show figures."
    )
    per_1000 = rate(help_text="The group's sum per 1,000 of its population.")
    median_per_1000 = rate()
    rank = serializers.IntegerField(
        allow_null=True, help_text="Your rank by rate in the group (1 = the highest)."
    )


class PeerFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes the field off the class
    unit = serializers.CharField()
    own = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True)
    own_per_1000 = rate()
    groups = PeerGroupSerializer(many=True)


class PeersSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    population = serializers.IntegerField()
    size_class = serializers.CharField(help_text="Statistics Norway's size class.")
    min_peers = serializers.IntegerField(
        help_text="A group shows figures only with this many other municipalities answering."
    )
    fields = PeerFieldSerializer(many=True)  # type: ignore[assignment]  # DRF's metaclass takes the field off the class


class TrendPointSerializer(serializers.Serializer):
    round = serializers.UUIDField()
    title = serializers.CharField()
    date = serializers.DateField(help_text="The round's deadline (Norwegian date).")
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes the field off the class
    picture = serializers.UUIDField(help_text="The round's published picture.")
    region = serializers.CharField(
        allow_null=True,
        help_text="The region's figure in the round's published picture (a decimal).",
    )
    own = serializers.CharField(
        allow_null=True, help_text="Your municipality's figure (a decimal), if it answered."
    )


class TrendFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF's metaclass takes the field off the class
    unit = serializers.CharField()
    aggregate = serializers.ChoiceField(choices=["sum", "weighted_mean", "median"])
    per_1000 = serializers.BooleanField(
        help_text="True: a count, its points per 1,000 inhabitants."
    )
    points = TrendPointSerializer(many=True)


class TrendSerializer(serializers.Serializer):
    compilation = serializers.UUIDField()
    region = serializers.CharField(allow_null=True)
    municipality = serializers.CharField(allow_null=True)
    rounds = serializers.IntegerField()
    fields = TrendFieldSerializer(many=True)  # type: ignore[assignment]  # DRF's metaclass takes the field off the class


def _compilation(request, uuid):
    return get_object_or_404(
        Compilation.objects.visible_to(request.user).select_related(
            "round__form_version", "office"
        ),
        uuid=uuid,
    )


class PeersView(APIView):
    """Like with like: your municipality's key counts in a picture per 1,000 inhabitants
    beside your region, neighbours, networks and Statistics Norway size class, with your
    rank in each. For the municipalities that submitted to the round."""

    @extend_schema(responses={200: PeersSerializer})
    def get(self, request, uuid):
        compilation = _compilation(request, uuid)
        municipality = own_municipality(request.user, compilation)
        if municipality is None:
            raise PermissionDenied
        data = compare(compilation.round, municipality, region_id=compilation.office_id)
        return Response(PeersSerializer(data).data)


class TrendView(APIView):
    """The trend of a picture's key fields over the published pictures of its series
    (the round's schedule, or the same crisis frame and form): the region's figure, and
    yours when your municipality submitted; per 1,000 inhabitants for a count."""

    @extend_schema(responses={200: TrendSerializer})
    def get(self, request, uuid):
        compilation = _compilation(request, uuid)
        data = trend(compilation, request.user, own_municipality(request.user, compilation))
        return Response(TrendSerializer(data).data)
