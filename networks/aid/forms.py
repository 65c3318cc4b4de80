"""Forms of the mutual-aid pages (requests, offers, the office's redirect, joint
procurement). Every choice comes from a scoped queryset; the writes go through
``networks.aid.actions``, whose errors land on the fields (``add_action_errors``)."""

from django import forms
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from incidents.log.models import Incident
from networks.aid.models import RequestPriority
from networks.aid.rules import acting_org_ids, writer_org_ids
from networks.resources.models import Resource, ResourceCategory
from networks.structure.models import (
    Municipality,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationKind,
)
from portal.forms import LocalDateTimeField


def _quantity_field(label=None):
    # No min_value: the action's own message ("must be greater than zero") is the one
    # users see, the same in the page and the API.
    return forms.DecimalField(
        label=label or _("Quantity"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


def _writer_orgs(user):
    return Organisation.objects.filter(pk__in=writer_org_ids(user)).order_by("name")


def _recipient_choices():
    return Organisation.objects.filter(
        kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.STATE_ADMINISTRATOR]
    ).order_by("name")


class RequestForm(forms.Form):
    requester = forms.ModelChoiceField(
        label=_("Requesting organisation"), queryset=Organisation.objects.none()
    )
    incident = forms.ModelChoiceField(label=_("Incident"), queryset=Incident.objects.none())
    title = forms.CharField(label=_("What is needed"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=ResourceCategory.choices)
    quantity = _quantity_field()
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("E.g. pieces, persons."))
    location = forms.ModelChoiceField(label=_("Where"), queryset=Municipality.objects.none())
    needed_by = LocalDateTimeField(label=_("Needed by"))
    priority = forms.ChoiceField(
        label=_("Priority"), choices=RequestPriority.choices, initial=RequestPriority.NORMAL
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    neighbours = forms.ModelMultipleChoiceField(
        label=_("Neighbours"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The neighbouring municipalities: a quick pick."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Other organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (Cmd) to choose more than one."),
    )
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), required=False
    )
    to_office = forms.BooleanField(label=_("Send to the State Administrator"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        writers = _writer_orgs(user)
        self.fields["requester"].queryset = writers
        own = list(writers)
        if len(own) == 1:
            self.fields["requester"].initial = own[0].pk
        owner_ids = [o.pk for o in own]
        self.fields["incident"].queryset = (
            Incident.objects.editable_by(user)
            .filter(status__in=["active", "monitoring"])
            .select_related("owner")
            .order_by("-started_at")
        )
        self.fields["location"].queryset = Municipality.objects.order_by(
            Case(When(organisation_id__in=owner_ids, then=Value(0)), default=Value(1)), "label"
        )
        home = Municipality.objects.filter(organisation_id__in=owner_ids).first()
        if home is not None:
            self.fields["location"].initial = home.pk
        self.fields["neighbours"].queryset = (
            Organisation.objects.filter(municipality__neighbours__organisation_id__in=owner_ids)
            .distinct()
            .order_by("name")
        )
        self.fields["organisations"].queryset = _recipient_choices()
        self.fields["network"].queryset = Network.objects.filter(
            pk__in=NetworkMembership.objects.current()
            .filter(organisation_id__in=owner_ids)
            .values("network_id")
        ).order_by("name")

    def clean(self):
        data = super().clean()
        requester, incident = data.get("requester"), data.get("incident")
        if requester and incident and incident.owner_id != requester.pk:
            self.add_error("incident", _("Choose one of the requesting organisation's incidents."))
        return data

    def recipients(self):
        chosen = {o.pk: o for o in self.cleaned_data.get("neighbours") or ()}
        chosen.update({o.pk: o for o in self.cleaned_data.get("organisations") or ()})
        return list(chosen.values())


class OfferForm(forms.Form):
    offerer = forms.ModelChoiceField(label=_("Offered by"), queryset=Organisation.objects.none())
    quantity = _quantity_field()
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("What, when and how it can be delivered."),
    )
    resource = forms.ModelChoiceField(
        label=_("From our resources"), queryset=Resource.objects.none(), required=False
    )
    offerer_incident = forms.ModelChoiceField(
        label=_("Our incident"),
        queryset=Incident.objects.none(),
        required=False,
        help_text=_("The offer's steps are also written into this incident's log."),
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        ids = acting_org_ids(user) - {request.requester_id}
        offerers = Organisation.objects.filter(pk__in=ids).order_by("name")
        self.fields["offerer"].queryset = offerers
        if len(ids) == 1:
            self.fields["offerer"].initial = next(iter(ids))
        self.fields["resource"].queryset = (
            Resource.objects.visible_to(user).filter(owner_id__in=ids).order_by("name")
        )
        self.fields["offerer_incident"].queryset = (
            Incident.objects.editable_by(user)
            .filter(owner_id__in=ids, status__in=["active", "monitoring"])
            .order_by("-started_at")
        )

    def clean(self):
        data = super().clean()
        offerer = data.get("offerer")
        for name in ("resource", "offerer_incident"):
            obj = data.get(name)
            if offerer and obj is not None:
                owner_id = obj.owner_id
                if owner_id != offerer.pk:
                    self.add_error(name, _("Choose one of the offering organisation's own."))
        return data


class AcceptForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Accept quantity"),
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Leave empty to accept the whole offer."),
    )


class CloseForm(forms.Form):
    cancel = forms.BooleanField(required=False)


class RedirectForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Send on to"),
        queryset=Organisation.objects.none(),
        help_text=_("Hold Ctrl (Cmd) to choose more than one."),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        region = request.requester.region_id
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
            .exclude(pk=request.requester_id)
            .exclude(pk__in=request.organisations.values("pk"))  # already asked
            .order_by(Case(When(region_id=region, then=Value(0)), default=Value(1)), "name")
        )


class ProcurementForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deadline = LocalDateTimeField(label=_("Deadline for quantities"))
    network = forms.ModelChoiceField(
        label=_("Invite a network"), queryset=Network.objects.none(), required=False
    )
    neighbours = forms.ModelMultipleChoiceField(
        label=_("Neighbours"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Other organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (Cmd) to choose more than one."),
    )
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One item a line: name; unit; specification (optional). E.g. "
            "“Munnbind type IIR; stk; EN 14683”."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        writers = _writer_orgs(user)
        self.fields["lead"].queryset = writers
        own = list(writers)
        if len(own) == 1:
            self.fields["lead"].initial = own[0].pk
        owner_ids = [o.pk for o in own]
        self.fields["neighbours"].queryset = (
            Organisation.objects.filter(municipality__neighbours__organisation_id__in=owner_ids)
            .distinct()
            .order_by("name")
        )
        self.fields["organisations"].queryset = _recipient_choices().filter(
            kind=OrganisationKind.MUNICIPALITY
        )
        self.fields["network"].queryset = Network.objects.filter(
            pk__in=NetworkMembership.objects.current()
            .filter(organisation_id__in=owner_ids)
            .values("network_id")
        ).order_by("name")

    def clean_items(self):
        rows = []
        for line in self.cleaned_data["items"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            rows.append(
                {
                    "name": parts[0],
                    "unit": parts[1] if len(parts) > 1 else "",
                    "specification": "; ".join(parts[2:]),
                }
            )
        return rows

    def recipients(self):
        chosen = {o.pk: o for o in self.cleaned_data.get("neighbours") or ()}
        chosen.update({o.pk: o for o in self.cleaned_data.get("organisations") or ()})
        return list(chosen.values())


class QuantitiesForm(forms.Form):
    """One number field per item for one participant (``item-<id>``)."""

    def __init__(self, *args, items, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item-{item.pk}"] = forms.DecimalField(
                label=f"{item.name} ({item.unit})",
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=lines.get(item.pk),
                widget=forms.NumberInput(attrs={"step": "any"}),
            )

    def quantities(self):
        return [
            (item, self.cleaned_data.get(f"item-{item.pk}"))
            for item in self.items
            if self.cleaned_data.get(f"item-{item.pk}") is not None
        ]
