"""The export pages' forms: the export buttons and the KS summary's choices."""

from django import forms
from django.utils.translation import gettext_lazy

from incidents.log.models import CrisisFrame
from networks.structure.models import Network
from reporting.exports.jobs import COMPILATION_KINDS, ROUND_KINDS
from reporting.models import ExportKind


class ExportRequestForm(forms.Form):
    """The export buttons: what to export, from which round or compilation."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ExportKind.choices)
    round = forms.UUIDField(required=False, widget=forms.HiddenInput)
    compilation = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def params(self):
        data = self.cleaned_data
        if data["kind"] in ROUND_KINDS:
            return {"round": str(data["round"] or "")}
        if data["kind"] in COMPILATION_KINDS:
            return {"compilation": str(data["compilation"] or "")}
        return {}


class KsSummaryFilterForm(forms.Form):
    """What a KS summary covers: the page's filter (GET) and the export's parameters."""

    network = forms.ModelChoiceField(
        label=gettext_lazy("Municipalities"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=gettext_lazy("All municipalities"),
        to_field_name="slug",
        help_text=gettext_lazy("A network's member municipalities, or all municipalities."),
    )
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    frame = forms.ModelChoiceField(
        label=gettext_lazy("Crisis frame"),
        queryset=CrisisFrame.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
        to_field_name="uuid",
    )
    include_exercises = forms.BooleanField(
        label=gettext_lazy("Include exercises (labelled ØVELSE)"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
        self.fields["frame"].queryset = CrisisFrame.objects.visible_to(user).order_by(
            "-started_at", "title"
        )

    def params(self) -> dict:
        """The export's parameters (JSON), as ``reporting.exports.jobs`` reads them."""
        data = self.cleaned_data
        return {
            "network": data["network"].slug if data["network"] else None,
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "include_exercises": data["include_exercises"],
            "frame": str(data["frame"].uuid) if data["frame"] else None,
        }


class KsSummaryForm(KsSummaryFilterForm):
    """The export of a summary: what it covers and the file's format."""

    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            (ExportKind.KS_SUMMARY_XLSX, "XLSX"),
            (ExportKind.KS_SUMMARY_PDF, "PDF"),
        ],
    )
