"""Forms of the action card pages (tiltakskort)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from incidents.log.models import Incident, IncidentStatus


class ApplyCardForm(forms.Form):
    incident = forms.ModelChoiceField(
        label=gettext_lazy("Incident"),
        queryset=Incident.objects.none(),
        to_field_name="uuid",
        error_messages={"invalid_choice": gettext_lazy("Choose an incident you may write to.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = (
            Incident.objects.visible_to(user)
            .filter(pk__in=Incident.objects.editable_by(user).values("pk"))
            .exclude(status=IncidentStatus.CLOSED)
            .select_related("owner")
            .order_by("-started_at", "title")
        )
        self.fields["incident"].label_from_instance = lambda i: f"{i.title} ({i.owner})"
