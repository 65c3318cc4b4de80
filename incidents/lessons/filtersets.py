"""The lesson list's filters, for the page and the API alike (one FilterSet per list)."""

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from incidents.lessons.models import Lesson, LessonArea, LessonShare, LessonSource, LessonStatus
from networks.structure.models import Network, NetworkMembership, Organisation
from portal.search import norwegian_query


def _visible_networks(request):
    if request is None:
        return Network.objects.none()
    return Network.objects.visible_to(request.user).order_by("name")


class LessonFilterSet(django_filters.FilterSet):
    """Norwegian full-text search (ranked) and filters by area, follow-up, source, owner
    and network (lessons of the network's current members) over lessons the user may
    see."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    area = django_filters.ChoiceFilter(
        choices=LessonArea.choices, label=pgettext_lazy("lesson", "Area")
    )
    status = django_filters.ChoiceFilter(choices=LessonStatus.choices, label=_("Follow-up"))
    source = django_filters.ChoiceFilter(choices=LessonSource.choices, label=_("Source"))
    owner = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), to_field_name="uuid", label=_("Owner")
    )
    network = django_filters.ModelChoiceFilter(
        queryset=_visible_networks,
        to_field_name="slug",
        method="filter_network",
        label=_("Network"),
    )
    exercise = django_filters.UUIDFilter(
        field_name="exercise__uuid", label=_("Exercise"), help_text=_("An exercise's id.")
    )

    class Meta:
        model = Lesson
        fields = ["q", "area", "status", "source", "owner", "network", "exercise"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        lessons = self.queryset.order_by()
        self.filters["owner"].queryset = Organisation.objects.filter(
            Exists(lessons.filter(owner_id=OuterRef("pk")))
        ).order_by("name")

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        query = norwegian_query(value)
        return queryset.filter(search=query).annotate(rank=SearchRank(F("search"), query))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_network(self, queryset, name, value):
        if value is None:
            return queryset
        members = NetworkMembership.objects.current().filter(network=value)
        return queryset.filter(
            Q(owner_id__in=members.values("organisation_id"))
            | Exists(LessonShare.objects.filter(lesson_id=OuterRef("pk"), network=value))
        )

    @property
    def searching(self):
        return bool((self.data.get("q") or "").strip())
