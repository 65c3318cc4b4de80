"""Django admin: users and their roles. Only superusers (the administrator role) reach the
admin; staff status alone is not enough."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import EmailState, Notification, RoleAssignment, User

admin.site.site_header = _("Samvirke administration")
admin.site.site_title = "Samvirke"


def superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organisation", "network"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "username"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Contact"), {"fields": ["phone"]}),
    )


# --- notifications: the e-mail outbox ---------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox as the administrator sees it: which e-mails went, which wait for their
    next attempt and why, which were given up. Notifications are written by the portal
    only; the one change offered is to try a given-up e-mail again."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "title",
        "email_state",
        "email_attempts",
        "next_attempt_at",
        "email_error_short",
    ]
    list_filter = ["email_state", "kind"]
    search_fields = ["title", "recipient__email", "event_key", "email_error"]
    list_select_related = ["recipient"]
    readonly_fields = [
        field.name for field in Notification._meta.fields if field.name not in ("id",)
    ]
    actions = ["retry_email"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last e-mail error"))
    def email_error_short(self, obj):
        return obj.email_error[:120]

    @admin.action(description=_("Try the e-mail again"))
    def retry_email(self, request, queryset):
        from portal.notifications import schedule_delivery

        count = queryset.filter(
            email_state__in=[EmailState.FAILED, EmailState.PENDING],
            recipient__email__gt="",
        ).update(
            email_state=EmailState.PENDING,
            next_attempt_at=None,
            email_attempts=0,
        )
        if count:
            schedule_delivery()
        self.message_user(
            request,
            gettext("E-mails to be tried again: %(count)d.") % {"count": count},
        )
