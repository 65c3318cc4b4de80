from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.structure.models import ContactEntry, NetworkMembership, Organisation


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
