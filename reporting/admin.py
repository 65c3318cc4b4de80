"""Admin for operators (superusers only). Published versions are read-only: the database
refuses changes to them anyway."""

from django.contrib import admin

from reporting.models import ReportForm, ReportFormVersion


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "track", "kind", "created_at"]
    list_filter = ["track", "kind"]
    search_fields = ["title", "owner__name"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]


@admin.register(ReportFormVersion)
class ReportFormVersionAdmin(admin.ModelAdmin):
    list_display = ["form", "number", "published_at"]
    list_select_related = ["form"]
    readonly_fields = ["form", "number", "definition", "published_at", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
