"""Forms of the resource overview and assistance agreements. They check what they can
and leave the rest (negative quantities, coordinates outside Norway, one-party
agreements, periods that end before they begin) to the actions, whose messages come back
in place. The list's FilterSet is in ``networks.resources.filtersets``."""

from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.library.models import Document
from networks.resources.actions import agreement_errors, resource_errors
from networks.resources.models import Agreement, Resource
from networks.resources.rules import writer_org_ids
from networks.structure.models import Municipality, Network, Office, Organisation


def _writer_orgs(user):
    return Organisation.objects.filter(pk__in=writer_org_ids(user)).order_by("name")


class ResourceForm(forms.ModelForm):
    """Create or edit a resource. The owner is chosen only when a resource is created,
    among the organisations whose resources the user keeps."""

    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    municipality = forms.ModelChoiceField(
        label=_("Location (municipality)"),
        queryset=Municipality.objects.none(),
        to_field_name="number",
    )

    class Meta:
        model = Resource
        fields = [
            "category",
            "name",
            "description",
            "quantity",
            "unit",
            "municipality",
            "latitude",
            "longitude",
            "availability",
            "contact_role",
            "lendable",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "unit": _("E.g. “stk.”, “personer”, “liter”, “plasser”."),
            "latitude": _("Optional: where exactly, in decimal degrees (e.g. 60.39)."),
            "longitude": _("Optional: in decimal degrees (e.g. 5.32)."),
            "contact_role": _("A role, not a person: e.g. “Beredskapsvakt, tlf. 55 00 00 00”."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.visible_to(user).order_by(
            "label"
        )
        if self.instance.pk:
            del self.fields["owner"]
        else:
            orgs = _writer_orgs(user)
            self.fields["owner"].queryset = orgs
            self.order_fields(["owner"])
            first = orgs.select_related("municipality").first()
            if first is not None:
                self.fields["owner"].initial = first.pk
                municipality = getattr(first, "municipality", None)
                if municipality is not None and not self.is_bound:
                    self.initial.setdefault("municipality", municipality.number)
        # The quantity is checked by the action (one message for the page and the API).
        self.fields["quantity"].widget.attrs.pop("min", None)
        self.fields["quantity"].widget.attrs["step"] = "any"

    def clean(self):
        """The action's checks, before the model's constraints give a less clear message."""
        data = super().clean()
        if "quantity" in data:
            facts = SimpleNamespace(
                quantity=data.get("quantity"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                category=data.get("category"),
                availability=data.get("availability"),
            )
            for field, message in resource_errors(facts).items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return data

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ResourceShareForm(forms.Form):
    """Open a resource to one audience."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), required=False
    )
    office = forms.ModelChoiceField(
        label=_("Region (a State Administrator office and its municipalities)"),
        queryset=Office.objects.none(),
        required=False,
    )
    everyone = forms.BooleanField(label=_("Everyone in Samvirke"), required=False)

    def __init__(self, *args, user, resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user).exclude(pk=resource.owner_id).order_by("name")
        )
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")
        self.fields["office"].queryset = Office.objects.visible_to(user).order_by("name_bokmaal")


class AgreementForm(forms.ModelForm):
    """Register or change an assistance agreement."""

    owner = forms.ModelChoiceField(
        label=_("Registered by"),
        queryset=Organisation.objects.none(),
        help_text=_("Your organisation; it must be one of the parties."),
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.none(),
        required=False,  # one party or none gets the action's message
        help_text=_(
            "Two or more organisations, yours among them. Hold Ctrl or ⌘ to choose several."
        ),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Linked resources"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The parties' own resources that the agreement covers."),
    )
    document = forms.ModelChoiceField(
        label=_("Document in the library"), queryset=Document.objects.none(), required=False
    )

    class Meta:
        model = Agreement
        fields = ["title", "scope", "conditions", "valid_from", "valid_until", "document"]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"valid_until": _("Leave empty for an agreement without an end date.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Organisation.objects.visible_to(user).order_by("name")
        self.fields["resources"].queryset = (
            Resource.objects.visible_to(user)
            .select_related("owner")
            .order_by("owner__name", "name")
        )
        self.fields["document"].queryset = Document.objects.visible_to(user).order_by("title")
        if self.instance.pk:
            del self.fields["owner"]
            if not self.is_bound:
                self.initial["parties"] = list(self.instance.parties.values_list("pk", flat=True))
                self.initial["resources"] = list(
                    self.instance.resources.values_list("pk", flat=True)
                )
        else:
            orgs = _writer_orgs(user)
            self.fields["owner"].queryset = orgs
            first = orgs.first()
            if first is not None and not self.is_bound:
                self.fields["owner"].initial = first.pk
                self.initial["parties"] = [first.pk]
            self.order_fields(["owner"])
        self.fields["resources"].label_from_instance = lambda r: f"{r.owner.display_name}: {r.name}"

    def clean(self):
        """The action's checks of parties and period, before the model's constraint gives
        a less clear message."""
        data = super().clean()
        owner = data.get("owner") if "owner" in self.fields else self.instance.owner
        party_ids = {p.pk for p in data.get("parties") or ()}
        errors = agreement_errors(
            owner.pk if owner else None, party_ids, data.get("valid_from"), data.get("valid_until")
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
