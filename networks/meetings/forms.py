"""The meeting forms (pages); the API has its serializers. Norwegian messages come from
the actions, so both faces say the same."""

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.meetings.models import MeetingKind, RefKind, Reply
from networks.meetings.rules import convener_org_ids
from networks.structure.models import Network, Organisation
from portal.access import viewer_for


class MeetingForm(forms.Form):
    convener = forms.ModelChoiceField(
        label=_("Convened by"), queryset=Organisation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    network = forms.ModelChoiceField(
        label=_("Network (for a network meeting)"), queryset=Network.objects.none(), required=False
    )
    title = forms.CharField(label=_("Meeting title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=60)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    occurrences = forms.IntegerField(
        label=_("Occurrences"), initial=1, help_text=_("More than 1 makes a recurring series.")
    )
    interval_days = forms.IntegerField(label=_("Every (days)"), initial=7)
    agenda_title = forms.CharField(label=_("First agenda item"), required=False, max_length=200)
    agenda_ref_kind = forms.ChoiceField(
        label=_("It links"), choices=RefKind.choices, required=False
    )
    agenda_ref_uuid = forms.UUIDField(label=_("Id of what it links"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = Organisation.objects.filter(
            pk__in=convener_org_ids(user)
        ).order_by("name")
        self.fields["network"].queryset = Network.objects.filter(
            pk__in=viewer_for(user).coordinated_network_ids
        )

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        title = data.pop("agenda_title")
        ref_kind = data.pop("agenda_ref_kind") or ""
        ref_uuid = data.pop("agenda_ref_uuid")
        data["video_link"] = data["video_link"] or ""
        data["agenda"] = (
            [{"title": title, "ref_kind": ref_kind, "ref_uuid": ref_uuid}] if title else []
        )
        return data


class AgendaItemForm(forms.Form):
    prefix = "agenda"  # the meeting page holds several forms: ids stay unique
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    ref_kind = forms.ChoiceField(label=_("It links"), choices=RefKind.choices, required=False)
    ref_uuid = forms.UUIDField(label=_("Id of what it links"), required=False)


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Reply"),
        choices=[c for c in Reply.choices if c[0] != Reply.PENDING],
        widget=forms.RadioSelect,
    )
    delegate_name = forms.CharField(label=_("Who attends instead"), required=False, max_length=200)


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    prefix = "decision"
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    prefix = "follow_up"
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=Organisation.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = Organisation.objects.filter(
            pk__in=[meeting.convener_id, *[i.organisation_id for i in meeting.invitations.all()]]
        ).order_by("name")


class AttendanceForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = Organisation.objects.filter(
            meeting_invitations__meeting=meeting
        ).order_by("name")
