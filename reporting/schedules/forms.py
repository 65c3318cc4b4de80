"""The form that sets up a recurring round."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from incidents.log.models import Incident
from reporting.actions import SCHEDULE_MAX_DEADLINE_HOURS
from reporting.forms import RoundForm


class ScheduleForm(RoundForm):
    """The round form without a deadline, with the daily time, the deadline in hours and
    the first day. Ranges are checked by ``do_create_schedule`` (one message for the
    page and the API)."""

    time_of_day = forms.TimeField(
        label=gettext_lazy("Issued daily at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("Norwegian time. The first round is issued on the first day."),
    )
    deadline_hours = forms.IntegerField(
        label=gettext_lazy("Deadline (hours after issue)"),
        widget=forms.NumberInput(attrs={"min": 1, "max": SCHEDULE_MAX_DEADLINE_HOURS}),
        help_text=gettext_lazy("From 1 to 168 hours (a week)."),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    incident = forms.ModelChoiceField(
        label=gettext_lazy("Incident"), queryset=Incident.objects.none(), required=False
    )

    field_order = [
        "issuer",
        "form",
        "title",
        "time_of_day",
        "deadline_hours",
        "starts_on",
        "offices",
        "network",
        "frame",
        "incident",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["deadline"]
        self.fields["incident"].queryset = Incident.objects.visible_to(user).order_by("-started_at")
        self.fields["starts_on"].initial = timezone.localdate()
        self.fields["deadline_hours"].initial = 4
