"""The start page «Nå»: what needs the user now, a section per role (reporting.start.querysets),
and the user's organisations and roles below."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views import View

from portal.models import RoleAssignment
from portal.web import render_page
from reporting.start.querysets import sections_for


class StartView(LoginRequiredMixin, View):
    def get(self, request):
        assignments = (
            RoleAssignment.objects.visible_to(request.user)
            .filter(user=request.user)
            .select_related(
                "organisation", "organisation__municipality", "organisation__office", "network"
            )
            .order_by("organisation__name", "role")
        )
        now = timezone.now()
        return render_page(
            request,
            "start/start.html",
            {
                "sections": sections_for(request.user, now),
                "assignments": assignments,
                "now": now,
                "nav_section": "home",
            },
        )
