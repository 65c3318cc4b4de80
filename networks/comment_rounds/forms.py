"""Forms of the comment round pages (høring). They check the shape of the input; the
actions (networks/comment_rounds/actions.py) decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.comment_rounds import actions
from networks.comment_rounds.models import CommentDecision
from networks.structure.models import Network, Organisation
from portal.forms import LocalDateTimeField


class OpenRoundForm(forms.Form):
    network = forms.ModelChoiceField(
        label=gettext_lazy("Network"),
        queryset=Network.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=gettext_lazy("Its current members are invited."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Named organisations"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=gettext_lazy("Hold Ctrl (Cmd on a Mac) to choose more than one."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    deadline = LocalDateTimeField(label=gettext_lazy("Deadline for comments"))

    def __init__(self, *args, document, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
        self.fields["organisations"].queryset = (
            Organisation.objects.visible_to(user).exclude(pk=document.owner_id).order_by("name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("network") and not data.get("organisations"):
            self.add_error("network", _("Invite a network or at least one organisation."))
        return data


class CommentForm(forms.Form):
    section = forms.CharField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=actions.COMMENT_MAX_LENGTH,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
    )

    def __init__(self, *args, org_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=list(org_ids)
        ).order_by("name")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("", gettext_lazy("Choose …")),
            (CommentDecision.TAKEN_IN, CommentDecision.TAKEN_IN.label),
            (CommentDecision.NOT_TAKEN_IN, CommentDecision.NOT_TAKEN_IN.label),
        ],
    )
    decision_note = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the comment is not taken in."),
    )


class CloseRoundForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=actions.SUMMARY_MAX_LENGTH,
        help_text=gettext_lazy(
            "What the round brought and what you changed. Everyone invited is notified."
        ),
    )
