"""Named personas for the tests. Each is a user with roles in real organisations of the
loaded structure; the access matrix states what each may see."""

from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model

from networks.structure.models import ContactEntry, Network, Organisation
from portal.models import RoleAssignment
from portal.roles import MFA_REQUIRED_ROLES, Role

PASSWORD = "Test-passord-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


@dataclass(frozen=True)
class Persona:
    name: str
    roles: tuple[tuple[str, str, str | None], ...]  # (organisation slug, role, network slug)

    @property
    def email(self):
        return f"{self.name}@test.samvirke.no"


PERSONAS = {
    p.name: p
    for p in [
        Persona("bergen_manager", (("kommune-4601", Role.EMERGENCY_MANAGER, None),)),
        Persona("bergen_reader", (("kommune-4601", Role.READER, None),)),
        Persona("stavanger_manager", (("kommune-1103", Role.EMERGENCY_MANAGER, None),)),
        Persona("drammen_staff", (("kommune-3301", Role.CRISIS_STAFF, None),)),
        Persona("vestland_officer", (("statsforvalteren-vestland", Role.OFFICER, None),)),
        Persona(
            "oest_officer",
            (
                ("statsforvalteren-ostfold-buskerud-oslo-og-akershus", Role.OFFICER, None),
                (
                    "statsforvalteren-ostfold-buskerud-oslo-og-akershus",
                    Role.OFFICE_CRISIS_STAFF,
                    None,
                ),
            ),
        ),
        Persona("hole_manager", (("kommune-3310", Role.EMERGENCY_MANAGER, None),)),
        Persona("rogaland_officer", (("statsforvalteren-rogaland", Role.OFFICER, None),)),
        Persona("dsb_analyst", (("dsb", Role.NATIONAL_ANALYST, None),)),
        Persona("ks_analyst", (("ks", Role.KS_ANALYST, None),)),
        Persona(
            "snb_coordinator",
            (
                ("kommune-5001", Role.NETWORK_COORDINATOR, "snb"),
                ("kommune-5001", Role.CRISIS_STAFF, None),
            ),
        ),
        Persona("nobody", ()),
        Persona("vest_police_liaison", (("vest-politidistrikt", Role.LIAISON, None),)),
    ]
}


def create_personas():
    User = get_user_model()
    for persona in PERSONAS.values():
        user, created = User.objects.get_or_create(
            username=persona.name,
            defaults={"email": persona.email, "first_name": persona.name.split("_")[0].title()},
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        for org_slug, role, network_slug in persona.roles:
            RoleAssignment.objects.get_or_create(
                user=user,
                organisation=Organisation.objects.get(slug=org_slug),
                role=role,
                network=Network.objects.get(slug=network_slug) if network_slug else None,
            )
        if {
            r for _, r, _ in persona.roles
        } & MFA_REQUIRED_ROLES and not user.authenticator_set.exists():
            TOTP.activate(user, TOTP_SECRET)
    for slug, function, name in [
        ("kommune-4601", "Beredskapssjef", "Berit Bergersen"),
        ("kommune-1103", "Beredskapssjef", "Stian Stavnes"),
        ("kommune-3310", "Beredskapskoordinator", "Hanne Hole"),
    ]:
        ContactEntry.objects.get_or_create(
            organisation=Organisation.objects.get(slug=slug),
            function=function,
            defaults={"name": name, "phone": "99 99 99 99"},
        )


def user(name):
    return get_user_model().objects.get(username=name)
