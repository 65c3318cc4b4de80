"""Forms of the library pages. They validate the shape of the input; the actions
(networks/library/actions.py) decide what is allowed and check uploaded files."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from networks.library.models import DocumentKind
from networks.structure.models import Network, Office, Organisation

CHECKLIST_HELP = _(
    "For an action card: one step per line, as “step | responsible role | time frame”, "
    "e.g. “Set up the crisis staff | Emergency manager | Within 1 hour”."
)


def _as_queryset(organisations):
    return Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")


def parse_checklist(text):
    """``step | role | time frame`` lines → the checklist structure."""
    steps = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        steps.append(
            {
                "title": parts[0],
                "role": parts[1] if len(parts) > 1 else "",
                "time_frame": parts[2] if len(parts) > 2 else "",
            }
        )
    return steps


def checklist_text(checklist):
    return "\n".join(
        " | ".join(
            x for x in (s.get("title", ""), s.get("role", ""), s.get("time_frame", ""))
        ).rstrip(" |")
        for s in checklist or []
    )


class VersionFields(forms.Form):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, headings with “###”."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX or ODT, at most 20 MB."),
    )
    checklist = forms.CharField(
        label=_("Checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=CHECKLIST_HELP,
    )

    def clean_checklist(self):
        return parse_checklist(self.cleaned_data.get("checklist"))


class DocumentForm(VersionFields):
    """A new document: version 1."""

    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose …"))] + DocumentKind.choices)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=100,
        required=False,
        help_text=_("E.g. pandemic, flood, evacuation, power outage."),
    )

    field_order = ["owner", "kind", "title", "topic", "body", "file", "checklist"]

    def __init__(self, *args, writer_orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _as_queryset(writer_orgs)
        if len(writer_orgs) == 1:
            self.fields["owner"].initial = writer_orgs[0].pk


class VersionForm(VersionFields):
    """The next version of a document."""

    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    expected_number = forms.IntegerField(widget=forms.HiddenInput)
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)


class ShareForm(forms.Form):
    """Share with one audience: an organisation, a network, a region or everyone."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="uuid",
    )
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), required=False, to_field_name="slug"
    )
    office = forms.ModelChoiceField(
        label=_("Region (a State Administrator office and its municipalities)"),
        queryset=Office.objects.none(),
        required=False,
        to_field_name="slug",
    )
    everyone = forms.BooleanField(label=_("Everyone in Samvirke"), required=False)

    def __init__(self, *args, document, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user).exclude(pk=document.owner_id).order_by("name")
        )
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
        self.fields["office"].queryset = Office.objects.visible_to(user).order_by("name_bokmaal")

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("organisation", "network", "office", "everyone") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("Choose one audience: an organisation, a network, a region or everyone.")
            )
        return data


class AdoptForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Adopt for"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _as_queryset(organisations)
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
