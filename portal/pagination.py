"""API pagination (named by the DRF settings, which import it while DRF defines its own
views: so this module imports nothing of the project's and no drf-spectacular)."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class LogCursorPagination(CursorPagination):
    page_size = 100
    ordering: str | tuple[str, ...] = "-recorded_at"
