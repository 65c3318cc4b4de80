"""The form builder's forms: a form's facts, a section, a field (every type the validator
knows), a copy. Each turns its input into the definition's JSON shape (``spec``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.structure.models import Organisation
from reporting.models import ReportKind, ReportTrack
from reporting.rules import form_owner_orgs
from reporting.validation import (
    AGGREGATES,
    DECIMAL,
    FIELD_TYPES,
    INTEGER,
    KEY_RE,
    LONG_TEXT,
    NUMBER_TYPES,
    OPTION_TYPES,
    SHORT_TEXT,
)

KEY_HELP = _(
    "Lower-case letters, digits and _, starting with a letter. Stays the same in later versions."
)


def _key_field(label):
    return forms.RegexField(
        label=label,
        regex=KEY_RE,
        max_length=63,
        help_text=KEY_HELP,
        error_messages={
            "invalid": _("Use lower-case letters, digits and _, starting with a letter.")
        },
    )


class OwnerFormMixin(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Organisation.objects.filter(pk__in=form_owner_orgs(user)).order_by("name")
        self.fields["owner"].queryset = owners
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0]


class FormFactsForm(forms.Form):
    title = forms.CharField(label=_("Title of the form"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    track = forms.ChoiceField(label=_("Track"), choices=ReportTrack.choices)
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)


class NewFormForm(OwnerFormMixin, FormFactsForm):
    field_order = ["owner", "title", "description", "track", "kind"]


class CopyForm(OwnerFormMixin):
    title = forms.CharField(label=_("Title of the new form"), max_length=200)


class SectionForm(forms.Form):
    key = _key_field(_("Section key"))
    title = forms.CharField(label=_("Section title"), max_length=200)
    description = forms.CharField(
        label=_("Section description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def spec(self) -> dict:
        data = self.cleaned_data
        spec = {"key": data["key"], "title": data["title"]}
        if data["description"]:
            spec["description"] = data["description"]
        return spec

    @classmethod
    def initial_for(cls, section) -> dict:
        return {k: section.get(k, "") for k in ("key", "title", "description")}


class FieldForm(forms.Form):
    key = _key_field(_("Field key"))
    type = forms.ChoiceField(label=_("Type"), choices=list(FIELD_TYPES.items()))
    label = forms.CharField(label=_("Label"), max_length=300)
    help = forms.CharField(label=_("Help text"), required=False, max_length=1000)
    required = forms.BooleanField(label=_("Required"), required=False)
    min = forms.DecimalField(label=_("Lowest value"), required=False, help_text=_("Numbers only."))
    max = forms.DecimalField(label=_("Highest value"), required=False, help_text=_("Numbers only."))
    unit = forms.CharField(
        label=_("Unit"), required=False, max_length=20, help_text=_("Decimal numbers only, e.g. %.")
    )
    aggregate = forms.ChoiceField(
        label=_("Put together over municipalities as"),
        required=False,
        choices=[("", _("Default for the unit and type")), *AGGREGATES.items()],
        help_text=_(
            "Numbers only. Default: a percentage is weighted by population, a whole number "
            "is summed, another decimal is a median."
        ),
    )
    max_length = forms.IntegerField(
        label=_("Most characters"), required=False, min_value=1, help_text=_("Text only.")
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Choices only: one a line, as value=Label (e.g. ja=Ja)."),
    )

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind == INTEGER:
            for bound in ("min", "max"):
                value = data.get(bound)
                if value is not None and value != value.to_integral_value():
                    self.add_error(bound, _("A whole number field needs whole-number bounds."))
        lines = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        parsed = []
        for line in lines:
            value, sep, label = line.partition("=")
            if not sep or not value.strip() or not label.strip():
                self.add_error(
                    "options", _("Write each option as value=Label: “%(line)s”.") % {"line": line}
                )
                break
            parsed.append({"value": value.strip(), "label": label.strip()})
        data["parsed_options"] = parsed
        return data

    def spec(self) -> dict:
        data = self.cleaned_data
        kind = data["type"]
        spec: dict = {"key": data["key"], "type": kind, "label": data["label"]}
        if data["help"]:
            spec["help"] = data["help"]
        if data["required"]:
            spec["required"] = True
        if kind in NUMBER_TYPES:
            for bound in ("min", "max"):
                value = data.get(bound)
                if value is not None:
                    # A whole bound is stored whole ("at most 100 %", not "100,0 %").
                    whole = value == value.to_integral_value()
                    spec[bound] = int(value) if kind == INTEGER or whole else float(value)
            if kind == DECIMAL and data["unit"].strip():
                spec["unit"] = data["unit"].strip()
            if data["aggregate"]:
                spec["aggregate"] = data["aggregate"]
        if kind in (SHORT_TEXT, LONG_TEXT) and data.get("max_length"):
            spec["max_length"] = data["max_length"]
        if kind in OPTION_TYPES:
            spec["options"] = data["parsed_options"]
        return spec

    @classmethod
    def initial_for(cls, spec) -> dict:
        initial = {
            k: spec.get(k)
            for k in (
                "key",
                "type",
                "label",
                "help",
                "required",
                "min",
                "max",
                "unit",
                "aggregate",
                "max_length",
            )
        }
        initial["options"] = "\n".join(
            f"{o.get('value')}={o.get('label')}"
            for o in spec.get("options", [])
            if isinstance(o, dict)
        )
        return initial
