"""Django admin: users, their roles and API tokens. Only superusers (the administrator role)
reach the admin; staff status alone is not enough. The admin has no log-in form of its own:
``/admin/login/`` sends to the portal's log-in page (allauth: rate limits, the TOTP step),
and the second factor is enforced for the admin like everywhere (portal.middleware)."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from knox.settings import knox_settings

from portal.auth import passed_second_factor
from portal.models import ApiToken, EmailState, Notification, RoleAssignment, TaskOutbox, User
from portal.tokens import MAX_TOKEN_DAYS, do_create_api_token

admin.site.site_header = _("Samvirke administration")
admin.site.site_title = "Samvirke"


def superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only  # type: ignore[method-assign]  # patch the site


@login_not_required
def login_through_the_portal(request, extra_context=None):
    """Replaces the admin's own log-in view, which would log in with the password alone:
    an anonymous visitor is sent to the portal's log-in page (and back to ``next``); a
    signed-in administrator goes on; anyone else is refused. It never logs anyone in, so
    a POST with a password makes no session."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        login_url = resolve_url(settings.LOGIN_URL)
        return redirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
    if superusers_only(request):
        return redirect(next_url)
    raise PermissionDenied


admin.site.login = login_through_the_portal  # type: ignore[method-assign]  # patch the site


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
        *(BaseUserAdmin.fieldsets or ()),  # set in Django; Optional in the stubs
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
        from portal.notifications.actions import schedule_delivery

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


class ApiTokenCreateForm(forms.ModelForm):
    """An administrator makes a token for a user, usually a service account (a
    municipality's crisis tool). The token is shown once, on the next page."""

    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=lambda: knox_settings.TOKEN_TTL.days,
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(TaskOutbox)
class TaskOutboxAdmin(admin.ModelAdmin):
    """Background work waiting for the broker (docs/decisions/0011-writes-survive-redis.md):
    what was recorded, handed over, run, and the last hand-over error. Read only."""

    list_display = ["created_at", "task", "attempts", "handed_over_at", "done_at"]
    list_filter = ["task"]
    search_fields = ["task", "last_error"]
    readonly_fields = [f.name for f in TaskOutbox._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed, made and revoked (deleted) here; never edited, never shown again."""

    list_display = ["name", "user", "created", "expiry", "last_used_at", "created_by"]
    list_filter = ["second_factor"]
    search_fields = ["name", "user__email", "user__username"]
    autocomplete_fields = ["user"]
    readonly_fields = [
        "name",
        "user",
        "token_key",
        "created",
        "expiry",
        "last_used_at",
        "created_by",
        "second_factor",
    ]
    fields = readonly_fields  # type: ignore[assignment]  # the stubs want list[str | list | tuple]

    def has_change_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreateForm
            kwargs["fields"] = ["user", "name", "days"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "days"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST":
            form = ApiTokenCreateForm(request.POST)
            if form.is_valid():
                token, plain = do_create_api_token(
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    acting_user=request.user,
                    second_factor=passed_second_factor(request),
                )
                return render(
                    request,
                    "admin/portal/apitoken/created.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.opts,
                        "title": _("API token made"),
                        "token": token,
                        "plain": plain,
                    },
                )
        return super().add_view(request, form_url, extra_context)
