"""Recurring rounds (rapporteringshjul): the list of the organisation's schedules, setting
one up, and stopping it. Celery beat issues the rounds (``reporting.tasks``).

Every object comes from a scoped queryset (``visible_to``); every write goes through
``reporting.actions``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.web import ActionFormView, ScopedMixin, redirect_htmx, render_page
from reporting import actions
from reporting.models import RoundSchedule
from reporting.schedules.forms import ScheduleForm


class ScheduleListView(ScopedMixin, View):
    """The recurring rounds of the user's organisations: running and stopped, with the
    number of rounds issued and the last day; the issuer's officers or analysts stop one."""

    model = RoundSchedule

    def get(self, request):
        schedules = list(
            self.get_queryset()
            .select_related("issuer", "form", "network", "frame", "incident")
            .prefetch_related("offices")
            .annotate(round_count=Count("rounds"), last_occurrence=Max("rounds__occurrence"))
            .order_by("stopped_at", "-created_at", "-id")
        )
        for schedule in schedules:
            schedule.can_stop = schedule.stopped_at is None and request.user.has_perm(
                "reporting.manage_schedule", schedule
            )
        return render_page(
            request,
            "reporting/schedule_list.html",
            {
                "schedules": schedules,
                "can_create": request.user.has_perm("reporting.issue_round"),
                "nav_section": "reporting",
            },
        )


class ScheduleCreateView(ActionFormView):
    """State Administrator officers and national analysts set up a recurring round."""

    model = RoundSchedule
    template_name = "reporting/schedule_form.html"
    nav_section = "reporting"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("reporting.issue_round"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return ScheduleForm(data, user=self.request.user)

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_create_schedule(
            issuer=data["issuer"],
            acting_user=self.request.user,
            form=data["form"],
            title=data["title"],
            time_of_day=data["time_of_day"],
            deadline_hours=data["deadline_hours"],
            starts_on=data["starts_on"],
            offices=data["offices"],
            network=data["network"],
            frame=data["frame"],
            incident=data["incident"],
        )

    def get_success_message(self, schedule):
        return _("The recurring round %(title)s is set up; the first round is issued %(day)s.") % {
            "title": schedule.title,
            "day": schedule.starts_on.strftime("%d.%m.%Y"),
        }

    def get_success_url(self, schedule):
        return reverse("reporting:schedule-list")


class ScheduleStopView(ScopedMixin, View):
    """Stop a recurring round (after confirming on the list): no more rounds are issued."""

    model = RoundSchedule

    def post(self, request, uuid):
        schedule = get_object_or_404(self.get_queryset(), uuid=uuid)
        if not request.user.has_perm("reporting.manage_schedule", schedule):
            raise PermissionDenied
        was_running = schedule.stopped_at is None
        schedule = actions.do_stop_schedule(schedule, acting_user=request.user)
        if was_running:
            messages.success(
                request,
                _("The recurring round %(title)s is stopped; no more rounds are issued.")
                % {"title": schedule.title},
            )
        return redirect_htmx(request, reverse("reporting:schedule-list"))
