"""The form to issue a reporting round, and reading a submission's answers from a POST."""

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.log.models import CrisisFrame
from networks.structure.models import Network, Office, Organisation
from portal.access import viewer_for
from portal.forms import LocalDateTimeField
from portal.roles import Role
from reporting.models import ReportForm
from reporting.rules import form_owner_orgs
from reporting.validation import MULTIPLE_CHOICE, SECTOR_STATUS, iter_fields


class RoundForm(forms.Form):
    issuer = forms.ModelChoiceField(label=_("Issued by"), queryset=Organisation.objects.none())
    form = forms.ModelChoiceField(label=_("Report form"), queryset=ReportForm.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = LocalDateTimeField(label=_("Deadline"))
    offices = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The municipalities of the chosen State Administrator regions."),
    )
    network = forms.ModelChoiceField(
        label=_("Or a network"),
        queryset=Network.objects.none(),
        required=False,
        help_text=_("The network's current member municipalities."),
    )
    frame = forms.ModelChoiceField(
        label=_("Crisis frame"), queryset=CrisisFrame.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        viewer = viewer_for(user)
        owners = Organisation.objects.filter(pk__in=form_owner_orgs(user)).order_by("name")
        self.fields["issuer"].queryset = owners
        if len(owners) == 1:
            self.fields["issuer"].initial = owners[0]
        self.fields["form"].queryset = ReportForm.objects.visible_to(user).select_related("owner")
        offices = Office.objects.visible_to(user)
        if not viewer.has_role(Role.NATIONAL_ANALYST):
            offices = offices.filter(pk__in=viewer.officer_office_ids)
        self.fields["offices"].queryset = offices
        self.fields["network"].queryset = Network.objects.visible_to(user)
        self.fields["frame"].queryset = CrisisFrame.objects.visible_to(user)


def answers_from_post(definition, data) -> dict:
    """The answers as posted by the submission page: one input per field, a status field
    as ``<key>__status`` and ``<key>__comment``, a multiple choice as repeated values."""
    answers = {}
    for spec in iter_fields(definition):
        key = spec["key"]
        if spec["type"] == SECTOR_STATUS:
            answers[key] = {
                "status": data.get(f"{key}__status", ""),
                "comment": data.get(f"{key}__comment", ""),
            }
        elif spec["type"] == MULTIPLE_CHOICE:
            answers[key] = data.getlist(key)
        else:
            answers[key] = data.get(key, "")
    return answers
