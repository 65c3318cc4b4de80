"""Roller — the roles a user can hold in an organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMERGENCY_MANAGER = "emergency_manager", _("Municipal emergency manager")
    CRISIS_STAFF = "crisis_staff", _("Municipal crisis staff")
    READER = "reader", _("Municipal reader")
    OFFICER = "officer", _("State Administrator officer")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    KS_ANALYST = "ks_analyst", _("KS analyst")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles that must use a second factor (TOTP) before they reach any page.
MFA_REQUIRED_ROLES = frozenset({Role.OFFICER, Role.NATIONAL_ANALYST, Role.ADMINISTRATOR})

#: Which organisation kinds a role makes sense in (checked by the role assignment form).
ROLE_ORGANISATION_KINDS = {
    Role.EMERGENCY_MANAGER: {"municipality"},
    Role.CRISIS_STAFF: {"municipality"},
    Role.READER: {"municipality"},
    Role.OFFICER: {"state_administrator"},
    Role.NATIONAL_ANALYST: {"national_agency"},
    Role.KS_ANALYST: {"ks"},
    Role.NETWORK_COORDINATOR: None,  # any organisation; scoped to a network
    Role.ADMINISTRATOR: None,
}
