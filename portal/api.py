"""API base classes: the scoped viewset mixin and pagination. The input check every
request passes is portal.api_input; the schema class that documents the answers every
operation can give is portal.api_schema (DRF imports the classes its settings name while
it defines its own views, so those modules must not import drf-spectacular here)."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class LogCursorPagination(CursorPagination):
    page_size = 100
    ordering = "-recorded_at"


class ScopedViewSetMixin:
    """API viewsets get their queryset from ``Model.objects.visible_to(user)`` — the same
    access layer as the pages. Subclasses set ``model`` and may refine with
    ``scope_queryset``."""

    model = None

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return self.scope_queryset(queryset)

    def scope_queryset(self, queryset):
        return queryset
