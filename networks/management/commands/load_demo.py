"""Load demo data on top of the reference structure (run ``load_structure`` first).

What it adds, following the report *Storbyenes samhandling om beredskap* (2023):

* the neighbour network Nord-Jæren (Stavanger, Sandnes, Sola, Randaberg);
* one demo account per role (``portal.demo.DEMO_ACCOUNTS``), with TOTP already set up for
  the roles that require it;
* crisis contact rosters (beredskapskontakter) for the demo municipalities and offices.

Idempotent: rows are matched on natural keys; a second run creates and changes nothing
(it prints the counts). Writes go through ``networks.structure.actions`` where an action exists.
People, names and phone numbers in the rosters are fictional.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pghistory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from networks.meetings import demo_data as meetings_demo
from networks.structure import actions
from networks.structure.models import (
    Availability,
    ContactEntry,
    Network,
    NetworkKind,
    NetworkMembership,
    Organisation,
)
from portal import demo
from portal.models import RoleAssignment, User
from portal.roles import MFA_REQUIRED_ROLES

NORD_JAEREN = {
    "slug": "nord-jaeren",
    "name": "Nord-Jæren",
    "short_name": "Nord-Jæren",
    "description": (
        "Nabonettverk for beredskap mellom Stavanger, Sandnes, Sola og Randaberg "
        "(til sammen over 260 000 innbyggere). Under pandemien laget kommunene felles "
        "lokale forskrifter og samordnet tiltak; Stavanger er vertskommune."
    ),
    "owner": "kommune-1103",
    # kommunenummer, member from
    "members": [
        ("1103", date(2020, 3, 12)),
        ("1108", date(2020, 3, 12)),
        ("1124", date(2020, 3, 16)),
        ("1127", date(2020, 3, 16)),
    ],
}

ALWAYS, ON_CALL = Availability.ALWAYS, Availability.ON_CALL
OFFICE, CRISIS = Availability.OFFICE_HOURS, Availability.CRISIS_ONLY


def tel(block: int, n: int) -> str:
    """A fictional number in the 8-digit Norwegian format: series 400 BB NNN."""
    return f"400 {block:02d} {n:03d}"


#: Crisis contact rosters: org slug -> (phone block, lines). A line is
#: (function, name, availability, deputy, e-mail?) — phones are derived from the block.
ROSTERS = {
    "kommune-4601": (11, [
        ("Beredskapssjef", "Ingrid Haugland", ON_CALL, "Håkon Tveit", True),
        ("Byrådsleder", "Marianne Sætre", CRISIS, "Per Olav Rongved", True),
        ("Kommuneoverlege", "Dr. Eirik Solheim", ON_CALL, "Dr. Liv Gjerde", True),
        ("Kommunikasjonssjef", "Tone Vikøren", CRISIS, "Aslak Hjelle", True),
        ("Vakthavende brannsjef, Bergen brannvesen", "Vakthavende (døgnbemannet)", ALWAYS,
         "", False),
    ]),
    "kommune-1103": (12, [
        ("Beredskapssjef", "Ole Martin Tjelta", ON_CALL, "Randi Bø Hetland", True),
        ("Kommunedirektør", "Gunnar Egeland", CRISIS, "Hilde Fjermestad", True),
        ("Kommuneoverlege", "Dr. Tor Inge Skadberg", ON_CALL, "Dr. Eva Ravndal", True),
        ("Kommunikasjonssjef", "Silje Aarsland", CRISIS, "Jan Erik Meling", True),
        ("Vakthavende brannsjef, Rogaland brann og redning IKS", "Vakthavende (døgnbemannet)",
         ALWAYS, "", False),
    ]),
    "kommune-1108": (13, [
        ("Beredskapskoordinator", "Kari Skjæveland", ON_CALL, "Bjørn Ueland", True),
        ("Kommunedirektør", "Trond Lima", CRISIS, "Anne Grete Salte", True),
        ("Kommuneoverlege", "Dr. Ida Vatne", ON_CALL, "Dr. Arne Høyland", True),
        ("Kommunikasjonssjef", "Lene Gjedrem", CRISIS, "Kjetil Sola", True),
        ("Vakthavende brannsjef, Rogaland brann og redning IKS", "Vakthavende (døgnbemannet)",
         ALWAYS, "", False),
    ]),
    "kommune-3301": (14, [
        ("Beredskapssjef", "Morten Holmen", ON_CALL, "Anders Kolstad", True),
        ("Kommunedirektør", "Elisabeth Strand", CRISIS, "Geir Ove Bakke", True),
        ("Kommuneoverlege", "Dr. Nina Fossum", ON_CALL, "Dr. Rune Haraldsen", True),
        ("Kommunikasjonssjef", "Camilla Solberg", CRISIS, "Thomas Grønli", True),
        ("Vakthavende brannsjef, Drammensregionens brannvesen IKS",
         "Vakthavende (døgnbemannet)", ALWAYS, "", False),
        ("Innkjøpsleder (smittevernutstyr)", "Jørn Lindahl", OFFICE, "Maria Dahl", True),
    ]),
    "kommune-5001": (15, [
        ("Beredskapssjef", "Geir Aune Rønning", ON_CALL, "Siri Lie Aune", True),
        ("Kommunedirektør", "Hege Brattli", CRISIS, "Ola Stokke", True),
        ("Kommuneoverlege", "Dr. Jon Arne Ness", ON_CALL, "Dr. Kirsti Lyng", True),
        ("Kommunikasjonssjef", "Mari Sandvik", CRISIS, "Even Hegge", True),
        ("Vakthavende brannsjef, Trøndelag brann- og redningstjeneste IKS",
         "Vakthavende (døgnbemannet)", ALWAYS, "", False),
        ("Beredskapsrådgiver, koordinator SNB", "Siri Lie Aune", OFFICE, "Geir Aune Rønning",
         True),
    ]),
    "statsforvalteren-vestland": (16, [
        ("Beredskapsvakt", "Beredskapsvakta (døgnbemanna)", ALWAYS, "", False),
        ("Fylkesberedskapssjef", "Arnfinn Sandal", ON_CALL, "Sigrid Myklebust", True),
        ("Statsforvaltar", "Brita Lothe", CRISIS, "Oddvar Hjelmeland", True),
        ("Fylkeslege", "Dr. Ragnhild Vindenes", ON_CALL, "Dr. Knut Førde", True),
        ("Kommunikasjonsrådgjevar", "Solveig Hatlestad", OFFICE, "Lars Ove Kvamme", True),
    ]),
    "statsforvalteren-rogaland": (17, [
        ("Beredskapsvakt", "Beredskapsvakten (døgnbemannet)", ALWAYS, "", False),
        ("Fylkesberedskapssjef", "Stein Are Larsen", ON_CALL, "Torstein Vigre", True),
        ("Statsforvalter", "Karin Nærland", CRISIS, "Helge Bryne", True),
        ("Fylkeslege", "Dr. Sissel Tjøtta", ON_CALL, "Dr. Aksel Undheim", True),
        ("Kommunikasjonsrådgiver", "Ingvild Espeland", OFFICE, "Roar Time", True),
    ]),
}  # fmt: skip


def _email_for(name: str) -> str:
    local = name.removeprefix("Dr. ").lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("é", "e")):
        local = local.replace(a, b)
    return ".".join(local.split()) + "@demo.samvirke.no"


class Command(BaseCommand):
    help = "Load demo data (Nord-Jæren, demo accounts, crisis contact rosters)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-credentials",
            action="store_true",
            help="Set the demo password and TOTP secret again on every demo account.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo creates accounts with a published password.")
        if set(MFA_REQUIRED_ROLES) != demo._TOTP_ROLES:
            raise CommandError("portal.demo is out of step with portal.roles.MFA_REQUIRED_ROLES")
        if not Organisation.objects.filter(slug="kommune-4601").exists():
            raise CommandError("Run `manage.py load_structure` first.")

        self.counts = Counter()
        started = time.monotonic()
        with transaction.atomic(), pghistory.context(command="load_demo"):
            users = self.load_accounts(reset=options["reset_credentials"])
            acting_user = users["admin@demo.samvirke.no"]
            self.load_nord_jaeren(acting_user)
            self.load_rosters(acting_user)
            meetings_demo.load(self.count)  # two kommunemøter in Øst during «Hans»

        created = sum(v for (_, s), v in self.counts.items() if s == "created")
        updated = sum(v for (_, s), v in self.counts.items() if s == "updated")
        unchanged = sum(v for (_, s), v in self.counts.items() if s == "unchanged")
        detail = ", ".join(
            f"{model} +{n}" for (model, s), n in sorted(self.counts.items()) if s == "created"
        )
        self.stdout.write(
            f"Demo data: {created} created, {updated} updated, {unchanged} unchanged"
            f"{f' ({detail})' if detail else ''} in {time.monotonic() - started:.2f} s."
        )

    # --- helpers -------------------------------------------------------------------

    def count(self, model, status, n=1):
        name = model if isinstance(model, str) else model.__name__
        self.counts[(name, status)] += n

    def upsert(self, model, lookup: dict, values: dict):
        """get_or_create that saves only the fields that differ (so a re-run writes
        nothing and leaves no history rows)."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.count(model, "created")
            return obj
        changed = []
        for key, value in values.items():
            field = model._meta.get_field(key)
            current = getattr(obj, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
            if current != wanted:
                setattr(obj, key, value)
                changed.append(key)
        if changed:
            obj.save(update_fields=changed)
        self.count(model, "updated" if changed else "unchanged")
        return obj

    # --- the parts -----------------------------------------------------------------

    def load_accounts(self, *, reset: bool):
        orgs = Organisation.objects.in_bulk(
            {r["org_slug"] for a in demo.DEMO_ACCOUNTS for r in a["roles"]}, field_name="slug"
        )
        networks = Network.objects.in_bulk(field_name="slug")
        password_hash = None  # hashed once, lazily: the same hash for every demo account
        users = {}
        for account in demo.DEMO_ACCOUNTS:
            user = User.objects.filter(email__iexact=account["email"]).first()
            fields = {
                "first_name": account["first_name"],
                "last_name": account["last_name"],
                "is_staff": account["is_staff"],
                "is_superuser": account["is_superuser"],
                "is_active": True,
            }
            if user is None or reset:
                password_hash = password_hash or make_password(demo.DEMO_PASSWORD)
            if user is None:
                assert password_hash is not None  # hashed just above
                user = User.objects.create(
                    username=account["email"],
                    email=account["email"],
                    password=password_hash,
                    **fields,
                )
                self.count(User, "created")
            else:
                changed = [k for k, v in fields.items() if getattr(user, k) != v]
                for key in changed:
                    setattr(user, key, fields[key])
                if reset:
                    assert password_hash is not None  # hashed just above
                    user.password = password_hash
                    changed.append("password")
                if changed:
                    user.save(update_fields=changed)
                self.count(User, "updated" if changed else "unchanged")
            users[account["email"]] = user

            self.upsert(
                EmailAddress,
                {"user": user, "email": account["email"]},
                {"verified": True, "primary": True},
            )
            for role in account["roles"]:
                self.upsert(
                    RoleAssignment,
                    {"user": user, "organisation": orgs[role["org_slug"]], "role": role["role"]},
                    {
                        "network": networks[role["network"]] if role["network"] else None,
                        "title": role["title"],
                    },
                )
            if account["needs_totp"]:
                self.ensure_totp(user, reset=reset)
        return users

    def ensure_totp(self, user, *, reset: bool):
        """TOTP with the published demo secret, through allauth's own code (it encrypts
        the secret with the MFA adapter), plus recovery codes as allauth makes them."""
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing and reset and decrypt(existing.data["secret"]) != demo.DEMO_TOTP_SECRET:
            existing.delete()
            existing = None
        if existing is None:
            TOTP.activate(user, demo.DEMO_TOTP_SECRET)
            self.count("Authenticator", "created")
        else:
            self.count("Authenticator", "unchanged")
        if "recovery_codes" in settings.MFA_SUPPORTED_TYPES:
            had_codes = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.RECOVERY_CODES
            ).exists()
            RecoveryCodes.activate(user)  # returns the existing set if there is one
            self.count("Authenticator", "unchanged" if had_codes else "created")

    def load_nord_jaeren(self, acting_user):
        spec = NORD_JAEREN
        owner = Organisation.objects.get(slug=spec["owner"])
        network, created = Network.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "short_name": spec["short_name"],
                "kind": NetworkKind.REGIONAL,
                "description": spec["description"],
                "owner": owner,
            },
        )
        self.count(Network, "created" if created else "unchanged")
        # Memberships are edited in the portal once they exist: add only organisations
        # that never had one (an ended membership is history, not something to undo).
        seen = set(
            NetworkMembership.objects.filter(network=network).values_list(
                "organisation__slug", flat=True
            )
        )
        for number, joined_on in spec["members"]:
            slug = f"kommune-{number}"
            if slug in seen:
                self.count(NetworkMembership, "unchanged")
                continue
            actions.do_add_network_member(
                network,
                Organisation.objects.get(slug=slug),
                joined_on=joined_on,
                note="Nabosamarbeid om lokale forskrifter og tiltak under pandemien",
                acting_user=acting_user,
            )
            self.count(NetworkMembership, "created")

    def load_rosters(self, acting_user):
        orgs = Organisation.objects.in_bulk(ROSTERS.keys(), field_name="slug")
        existing = {
            (c.organisation_id, c.function): c
            for c in ContactEntry.objects.filter(organisation__in=orgs.values())
        }
        for slug, (block, lines) in ROSTERS.items():
            org = orgs[slug]
            for i, (function, name, availability, deputy, has_email) in enumerate(lines, 1):
                values = {
                    "name": name,
                    "phone": tel(block, 100 + i),
                    "phone_alt": tel(block, 300 + i) if availability == ON_CALL else "",
                    "email": _email_for(name) if has_email else "",
                    "deputy": deputy,
                    "deputy_phone": tel(block, 200 + i) if deputy else "",
                    "availability": availability,
                    "sort_order": i * 10,
                }
                contact = existing.get((org.pk, function))
                if contact is None:
                    contact = ContactEntry(organisation=org, function=function, **values)
                    actions.do_save_contact(contact, acting_user=acting_user)
                    self.count(ContactEntry, "created")
                    continue
                changed = [k for k, v in values.items() if getattr(contact, k) != v]
                for key in changed:
                    setattr(contact, key, values[key])
                if changed:
                    actions.do_save_contact(contact, acting_user=acting_user)
                self.count(ContactEntry, "updated" if changed else "unchanged")
