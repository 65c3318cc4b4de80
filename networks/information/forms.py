"""The forms of information down: send a message, ask a question, answer it."""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.log.models import CrisisFrame, Incident
from networks.information.models import Urgency
from networks.library.models import Document
from networks.structure.models import Network, Office, Organisation
from portal.forms import MultipleFileField
from portal.uploads import check_attachment

# Reporting is a sibling in the top layer (.importlinter): its rounds are reached by the
# app registry and their URL names, never by importing reporting.
ReportingRound = apps.get_model("reporting", "ReportingRound")


class MessageForm(forms.Form):
    """Send a message: for which organisation, to whom, what, how urgent, about what."""

    sender = forms.ModelChoiceField(
        label=_("Send for"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, lists, links."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.INFORMATION,
        widget=forms.RadioSelect,
    )
    all_municipalities = forms.BooleanField(label=_("Every municipality"), required=False)
    regions = forms.ModelMultipleChoiceField(
        label=_("The municipalities of these regions"),
        queryset=Office.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    network = forms.ModelChoiceField(
        label=_("The members of a network"),
        queryset=Network.objects.order_by("name"),
        required=False,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Named organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Municipalities or agencies; hold Ctrl (⌘) to choose several."),
    )
    exempt = forms.BooleanField(label=_("Exempt from public disclosure"), required=False)
    exempt_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=120,
        help_text=_("The section of offentleglova, e.g. § 13 or § 24."),
    )
    frame = forms.ModelChoiceField(
        label=_("National crisis"), queryset=CrisisFrame.objects.none(), required=False
    )
    incident = forms.ModelChoiceField(
        label=_("Incident"), queryset=Incident.objects.none(), required=False
    )
    round = forms.ModelChoiceField(
        label=_("Reporting round"), queryset=ReportingRound.objects.none(), required=False
    )
    document = forms.ModelChoiceField(
        label=_("Document"), queryset=Document.objects.none(), required=False
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images, Word, Excel, OpenDocument, text or CSV; at most 10 MB each."),
    )

    def __init__(self, *args, user, sender_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = Organisation.objects.filter(pk__in=sender_ids).order_by(
            "name"
        )
        self.fields["frame"].queryset = CrisisFrame.objects.visible_to(user).order_by("-started_at")
        self.fields["incident"].queryset = Incident.objects.visible_to(user).order_by("-started_at")
        self.fields["round"].queryset = ReportingRound.objects.visible_to(user).order_by("-id")
        self.fields["document"].queryset = Document.objects.visible_to(user).order_by("title")

    def clean_exempt_basis(self):
        basis = self.cleaned_data["exempt_basis"].strip()
        if self.cleaned_data.get("exempt") and not basis:
            raise ValidationError(
                _("Give the legal basis (the section of offentleglova) for the exemption.")
            )
        return basis

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        errors = []
        for upload in uploads:
            try:
                check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def clean(self):
        data = super().clean()
        if not (
            data.get("all_municipalities")
            or data.get("regions")
            or data.get("network")
            or data.get("organisations")
        ):
            self.add_error(
                None,
                _("Choose who receives the message: regions, a network, organisations or all."),
            )
        return data


class QuestionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Ask for"), queryset=Organisation.objects.none(), empty_label=None
    )
    text = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, org_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids).order_by(
            "name"
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("Show the answer to every recipient"), required=False)
