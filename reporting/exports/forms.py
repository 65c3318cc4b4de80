"""The export pages' forms: the export buttons and the KS summary's choices."""

from django import forms
from django.utils.translation import gettext_lazy

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


class KsSummaryForm(forms.Form):
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
    include_exercises = forms.BooleanField(
        label=gettext_lazy("Include exercises (labelled ØVELSE)"), required=False
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            (ExportKind.KS_SUMMARY_XLSX, "XLSX"),
            (ExportKind.KS_SUMMARY_PDF, "PDF"),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
