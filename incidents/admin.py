"""Admin for operators (superusers only). Log entries and attachments are read-only here
as everywhere: the database refuses changes anyway."""

from django.contrib import admin

from incidents.log.models import Attachment, CrisisFrame, Incident, LogEntry, Share, Task


@admin.register(CrisisFrame)
class CrisisFrameAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "is_exercise", "owner", "started_at", "ended_at"]
    list_filter = ["type", "is_exercise"]
    search_fields = ["title"]
    autocomplete_fields = ["owner"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "frame", "type", "severity", "status", "is_exercise"]
    list_filter = ["status", "type", "is_exercise", "frame"]
    search_fields = ["title", "owner__name"]
    list_select_related = ["owner", "frame"]
    autocomplete_fields = ["owner", "affected_municipalities"]
    readonly_fields = ["created_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["incident", "occurred_at", "recorded_at", "kind", "author", "exempt"]
    list_filter = ["kind", "exempt"]
    list_select_related = ["incident", "author"]
    search_fields = ["text"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "entry", "content_type", "size", "uploaded_at"]


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = ["incident", "entry", "organisation", "network", "created_by", "created_at"]
    list_select_related = ["incident", "entry", "organisation", "network", "created_by"]
    raw_id_fields = ["incident", "entry", "organisation", "network", "created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "incident", "status", "due_at"]
    list_filter = ["status"]
    list_select_related = ["incident"]
    raw_id_fields = ["incident", "source_entry", "assignee_user", "assignee_organisation"]
