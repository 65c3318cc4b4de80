from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.structure.models import (
    ContactEntry,
    CouncilMembership,
    Municipality,
    NetworkMembership,
    Organisation,
    OrganisationKind,
)
from portal.roles import AGENCY_KINDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMembership
        fields = ["organisation", "joined_on", "note"]
        widgets = {"joined_on": DateInput()}

    def __init__(self, *args, network, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = network.memberships.filter(left_on__isnull=True).values("organisation")
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user).exclude(id__in=current).order_by("name")
        )
        self.fields["joined_on"].initial = timezone.localdate()


class EndMembershipForm(forms.Form):
    left_on = forms.DateField(label=_("Member until"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class ContactEntryForm(forms.ModelForm):
    class Meta:
        model = ContactEntry
        fields = [
            "function",
            "name",
            "phone",
            "phone_alt",
            "email",
            "deputy",
            "deputy_phone",
            "availability",
            "sort_order",
        ]
        # Django's own Bokmål catalogue spells it "epost-adresse"; we say "e-postadresse".
        error_messages = {"email": {"invalid": _("Enter a valid e-mail address.")}}


class CouncilMemberForm(forms.ModelForm):
    """Seat an organisation in a council. Municipalities of the region and agencies
    (and national bodies) are offered; not those already seated."""

    class Meta:
        model = CouncilMembership
        fields = ["organisation", "status", "since", "note"]
        widgets = {"since": DateInput()}

    def __init__(self, *args, council, user, **kwargs):
        super().__init__(*args, **kwargs)
        seated = council.memberships.filter(until__isnull=True).values("organisation")
        self.fields["organisation"].queryset = (
            Organisation.objects.visible_to(user)
            .filter(Q(region=council.office_id) | Q(kind__in=AGENCY_KINDS | {"national_agency"}))
            .exclude(kind=OrganisationKind.STATE_ADMINISTRATOR)
            .exclude(id__in=seated)
            .order_by("name")
        )
        self.fields["since"].required = True
        self.fields["since"].initial = timezone.localdate()


class EndCouncilSeatForm(forms.Form):
    until = forms.DateField(label=_("Seat until"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = timezone.localdate()


class NeighbourAddForm(forms.Form):
    """An office makes two municipalities neighbours; one of them must be in its region."""

    first = forms.ModelChoiceField(
        label=_("Municipality in the region"), queryset=Municipality.objects.none()
    )
    second = forms.ModelChoiceField(label=_("Neighbour"), queryset=Municipality.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, office, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Municipality.objects.visible_to(user).order_by("label")
        self.fields["first"].queryset = visible.filter(county__office=office)
        self.fields["second"].queryset = visible
        self.fields["first"].to_field_name = "number"
        self.fields["second"].to_field_name = "number"


class NeighbourRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
