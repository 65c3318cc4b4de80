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
    OFFICE_CRISIS_STAFF = "office_crisis_staff", _("Crisis staff (office or national body)")
    LIAISON = "liaison", _("Agency liaison")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles that must use a second factor (TOTP) before they reach any page.
MFA_REQUIRED_ROLES = frozenset(
    {Role.OFFICER, Role.OFFICE_CRISIS_STAFF, Role.NATIONAL_ANALYST, Role.ADMINISTRATOR}
)

#: The organisation kinds of the agencies that sit in the county preparedness councils
#: and take part as liaisons (police districts, health trusts, Sivilforsvaret, NVE,
#: Mattilsynet, the Armed Forces, county authorities).
AGENCY_KINDS = frozenset(
    {
        "county_council",
        "health_trust",
        "police_district",
        "civil_defence",
        "armed_forces",
        "sector_agency",
        "other",
    }
)

#: Which organisation kinds a role makes sense in (checked by the role assignment form).
ROLE_ORGANISATION_KINDS = {
    Role.EMERGENCY_MANAGER: {"municipality"},
    Role.CRISIS_STAFF: {"municipality"},
    Role.READER: {"municipality"},
    Role.OFFICER: {"state_administrator"},
    Role.NATIONAL_ANALYST: {"national_agency"},
    Role.KS_ANALYST: {"ks"},
    Role.OFFICE_CRISIS_STAFF: {"state_administrator", "national_agency", "ks"},
    Role.LIAISON: set(AGENCY_KINDS),
    Role.NETWORK_COORDINATOR: None,  # any organisation; scoped to a network
    Role.ADMINISTRATOR: None,
}


# --- who writes what -------------------------------------------------------------------
# Every "which roles may write X" set lives here, so a feature never spells its own. Each
# role exists only in its kind of organisation (ROLE_ORGANISATION_KINDS), so a set names
# roles and the organisation kind follows from the assignment.

#: A municipality's writers: its emergency managers and crisis staff. They write the
#: municipality's incidents and logs, its situation reports, its requests for assistance
#: and the tasks addressed to it.
MUNICIPAL_WRITER_ROLES = frozenset({Role.EMERGENCY_MANAGER, Role.CRISIS_STAFF})

#: Everyone in a municipality who reads what is sent to it (the compiled picture).
MUNICIPAL_ROLES = MUNICIPAL_WRITER_ROLES | {Role.READER}

#: Who writes an organisation's incidents and logs: a municipality's writers, the crisis
#: staff of a State Administrator office, a national body or KS (the other officers and
#: analysts read), and an agency's liaisons.
INCIDENT_WRITER_ROLES = MUNICIPAL_WRITER_ROLES | {Role.OFFICE_CRISIS_STAFF, Role.LIAISON}

#: Who answers situation reports for a municipality.
REPORT_WRITER_ROLES = MUNICIPAL_WRITER_ROLES

#: Who asks for assistance and leads a joint procurement for an organisation.
AID_WRITER_ROLES = MUNICIPAL_WRITER_ROLES

#: Who offers assistance: the municipality's writers and a State Administrator's officers.
AID_OFFER_ROLES = MUNICIPAL_WRITER_ROLES | {Role.OFFICER}

#: Who registers an organisation's resources and agreements (an office's own too).
RESOURCE_WRITER_ROLES = MUNICIPAL_WRITER_ROLES | {Role.OFFICER}

#: Who writes an organisation's lessons and exercises.
LESSON_WRITER_ROLES = MUNICIPAL_WRITER_ROLES | {Role.OFFICER, Role.NATIONAL_ANALYST}

#: Who writes library documents (and holds comment rounds on them) for an organisation.
LIBRARY_WRITER_ROLES = MUNICIPAL_WRITER_ROLES | {
    Role.OFFICER,
    Role.NATIONAL_ANALYST,
    Role.KS_ANALYST,
}

#: Who holds crisis frames for an organisation: a national body's analysts (national
#: frames and exercises) and a State Administrator office's officers (exercise frames).
FRAME_WRITER_ROLES = frozenset({Role.NATIONAL_ANALYST, Role.OFFICER})

#: Who reads aggregates across municipalities (KS summaries, the lessons export): KS
#: analysts and national analysts.
SUMMARY_ROLES = frozenset({Role.KS_ANALYST, Role.NATIONAL_ANALYST})

#: Who holds report forms and issues reporting rounds for an organisation: a State
#: Administrator's officers and a national body's analysts.
REPORT_ISSUER_ROLES = frozenset({Role.OFFICER, Role.NATIONAL_ANALYST})

# --- information down (networks.information) --------------------------------------------

#: Who sends messages (meldinger) down for an organisation: a State Administrator
#: office's officers and crisis staff, a national body's analysts and crisis staff, KS's
#: analysts and crisis staff.
MESSAGE_SENDER_ROLES = frozenset(
    {Role.OFFICER, Role.OFFICE_CRISIS_STAFF, Role.NATIONAL_ANALYST, Role.KS_ANALYST}
)

#: Who asks a question on a message for a recipient organisation: everyone who acts for
#: it (a municipality's readers read, they do not ask).
MESSAGE_ASKER_ROLES = INCIDENT_WRITER_ROLES | MESSAGE_SENDER_ROLES

#: Who of a recipient organisation is notified of a message: its emergency managers (a
#: municipality), officers (an office), analysts (a national body, KS) and liaisons (an
#: agency); for an urgent message the crisis staff too.
MESSAGE_NOTIFIED_ROLES = frozenset(
    {Role.EMERGENCY_MANAGER, Role.OFFICER, Role.NATIONAL_ANALYST, Role.KS_ANALYST, Role.LIAISON}
)
MESSAGE_URGENT_NOTIFIED_ROLES = MESSAGE_NOTIFIED_ROLES | {
    Role.CRISIS_STAFF,
    Role.OFFICE_CRISIS_STAFF,
}

# --- meetings (networks.meetings) ------------------------------------------------------

#: Who convenes and runs an organisation's meetings (kommunemøter, council meetings,
#: national meetings): a State Administrator's officers and crisis staff, a national
#: body's analysts and crisis staff. A network's coordinator convenes its network's
#: meetings (scoped by the network, as for memberships).
MEETING_CONVENER_ROLES = frozenset(
    {Role.OFFICER, Role.OFFICE_CRISIS_STAFF, Role.NATIONAL_ANALYST, Role.NETWORK_COORDINATOR}
)

#: Who replies to an invitation for an invited organisation: everyone who acts for it
#: (not a municipality's readers).
MEETING_REPLY_ROLES = INCIDENT_WRITER_ROLES | MEETING_CONVENER_ROLES | {Role.KS_ANALYST}

#: Who marks a meeting's follow-up task done: the assignee organisation's writers.
FOLLOW_UP_WRITER_ROLES = INCIDENT_WRITER_ROLES | {Role.OFFICER, Role.NATIONAL_ANALYST}
