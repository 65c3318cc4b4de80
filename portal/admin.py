"""Django admin: users and their roles. Only superusers (the administrator role) reach the
admin; staff status alone is not enough."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.models import RoleAssignment, User

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
