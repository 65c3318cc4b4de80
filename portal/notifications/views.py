"""Varsler: the user's own notifications, newest first; mark one or all read (HTMX swaps
the list and updates the header's unread count out of band; without JavaScript the form
posts and the page reloads)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views import View

from portal.models import Notification
from portal.notifications.actions import do_mark_read
from portal.web import ScopedMixin, render_page

PAGE_SIZE = 50


class NotificationMixin(ScopedMixin):
    model = Notification

    def render_list(self, request, *, partial="content"):
        page = Paginator(self.get_queryset(), PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page": page, "notifications": page.object_list, "nav_section": "notifications"}
        if partial == "list":
            # A POST answered by HTMX: the list, and the header count out of band.
            response = render(request, "portal/notifications.html#list", {**context, "oob": True})
            patch_vary_headers(response, ("HX-Request",))
            return response
        return render_page(request, "portal/notifications.html", context)

    def after_write(self, request):
        if getattr(request, "htmx", False):
            return self.render_list(request, partial="list")
        page = request.GET.get("page", "")
        url = reverse("portal:notifications")
        return redirect(f"{url}?page={page}" if page.isdigit() else url)


class NotificationListView(NotificationMixin, View):
    def get(self, request):
        return self.render_list(request)


class NotificationReadView(NotificationMixin, View):
    """Mark one of the user's notifications read (another user's: 404)."""

    def post(self, request, uuid):
        notification = get_object_or_404(self.get_queryset(), uuid=uuid)
        do_mark_read(acting_user=request.user, uuids=[notification.uuid])
        return self.after_write(request)


class NotificationReadAllView(NotificationMixin, View):
    def post(self, request):
        do_mark_read(acting_user=request.user)
        return self.after_write(request)
