"""Load the mutual-aid demo on top of the demo incidents (run ``load_demo`` and
``load_demo_incidents`` first).

What it adds:

* during "Ekstremværet Hans": Hole asks its neighbours and Statsforvalteren i Østfold,
  Buskerud, Oslo og Akershus for strømaggregater (Ringerike and Drammen offer; Hole
  accepts Ringerike's offer) and for lensepumper (Lier offers); the steps are in Hole's,
  Ringerike's and Drammen's incident logs, and the Øst office sees it all on its
  regional overview;
* Drammen leading a joint procurement of protective equipment with its neighbours, as in
  Covid-19 (munnbind, hansker, smittefrakker, hånddesinfeksjon), with quantities from
  Drammen, Lier, Øvre Eiker and Hole.

Four extra demo accounts (emergency managers of Hole, Ringerike, Lier and Øvre Eiker,
with the published demo password) act for those municipalities. Hole and Ringerike get a
Hans incident if they have none.

Idempotent: accounts are matched on e-mail, incidents on (owner, title), requests on
(requester, title), offers on (request, offerer), the procurement on (lead, title),
quantities on (item, organisation); what exists is left as it is. Every write goes
through the actions (``networks.aid.actions``, ``incidents.log.actions``).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from incidents.log import actions as incident_actions
from incidents.log.models import CrisisFrame, Incident, IncidentType
from networks.aid.actions.offers import do_accept_offer, do_make_offer
from networks.aid.actions.procurement import do_create_procurement, do_set_quantity
from networks.aid.actions.requests import do_create_request
from networks.aid.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    ProcurementLine,
)
from networks.structure.models import Municipality, Organisation
from portal import demo
from portal.models import RoleAssignment, User
from portal.roles import Role

DRAMMEN = "drammen.krisestab@demo.samvirke.no"
OFFICE_EAST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"

ACCOUNTS = [
    ("hole.beredskap@demo.samvirke.no", "Tone", "Hval", "kommune-3310", "Beredskapskoordinator"),
    ("ringerike.beredskap@demo.samvirke.no", "Per", "Hønefoss", "kommune-3305", "Beredskapssjef"),
    ("lier.beredskap@demo.samvirke.no", "Line", "Sylling", "kommune-3312", "Beredskapsleder"),
    (
        "ovre-eiker.beredskap@demo.samvirke.no",
        "Eirik",
        "Vestfossen",
        "kommune-3314",
        "Beredskapskoordinator",
    ),
]

HANS_INCIDENTS = {
    "kommune-3310": (
        "Ekstremværet Hans – flom og strømbrudd i Hole",
        "Storelva og Tyrifjorden stiger; strømbrudd i Sundvollen og på Utøya-siden, "
        "pumpestasjoner uten strøm.",
    ),
    "kommune-3305": (
        "Ekstremværet Hans – Ringerike",
        "Flom i Begna og Randselva; beredskap i Hønefoss, bistand til nabokommuner.",
    ),
}

GENERATORS = "Strømaggregater til pumpestasjoner og sykehjem"
PUMPS = "Lensepumper til oversvømte kjellere"
PROCUREMENT = "Felles innkjøp av smittevernutstyr (Covid-19)"
ITEMS = [
    {"name": "Munnbind type IIR", "unit": "stk", "specification": "EN 14683, type IIR"},
    {"name": "Hansker, nitril", "unit": "eske à 100", "specification": "Str. S–XL, pudderfrie"},
    {"name": "Smittefrakker", "unit": "stk", "specification": "Væskeavvisende, engangs"},
    {"name": "Hånddesinfeksjon", "unit": "flaske 1 l", "specification": "Minst 70 % alkohol"},
]
#: Quantities per participant (organisation slug → one number per item).
QUANTITIES = {
    "kommune-3301": [40000, 600, 8000, 1200],
    "kommune-3312": [12000, 150, 2500, 300],
    "kommune-3314": [9000, 120, 1800, 250],
    "kommune-3310": [3000, 40, 600, 80],
}


class Command(BaseCommand):
    help = "Load the mutual-aid demo: Hans requests and offers, Drammen's joint procurement."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_aid creates demo accounts with a published password.")
        self.counts = Counter()
        drammen = User.objects.filter(email=DRAMMEN).first()
        frame = CrisisFrame.objects.filter(title="Ekstremværet Hans").first()
        if drammen is None or frame is None:
            raise CommandError("Run `manage.py load_demo` and `load_demo_incidents` first.")
        with transaction.atomic():
            users = self.load_accounts()
            users["kommune-3301"] = drammen
            incidents = {
                slug: self.hans_incident(slug, users[slug], frame) for slug in HANS_INCIDENTS
            }
            incidents["kommune-3301"] = Incident.objects.filter(
                owner__slug="kommune-3301", frame=frame
            ).first()
            self.load_requests(users, incidents)
            self.load_procurement(users)
        summary = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        self.stdout.write(f"Mutual-aid demo: {summary or 'nothing new'}.")

    def org(self, slug):
        return Organisation.objects.get(slug=slug)

    def load_accounts(self):
        users = {}
        password = None
        for email, first, last, slug, title in ACCOUNTS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                password = password or make_password(demo.DEMO_PASSWORD)
                user = User.objects.create(
                    username=email, email=email, first_name=first, last_name=last, password=password
                )
                self.counts["accounts created"] += 1
            RoleAssignment.objects.get_or_create(
                user=user,
                organisation=self.org(slug),
                role=Role.EMERGENCY_MANAGER,
                defaults={"title": title},
            )
            users[slug] = user
        return users

    def hans_incident(self, slug, author, frame):
        title, description = HANS_INCIDENTS[slug]
        incident = Incident.objects.filter(owner__slug=slug, title=title).first()
        if incident is None:
            incident = incident_actions.do_create_incident(
                owner=self.org(slug),
                acting_user=author,
                title=title,
                description=description,
                type=IncidentType.FLOOD,
                severity="high",
                frame=frame,
                started_at=frame.started_at,
                crisis_management_active=True,
                affected=Municipality.objects.filter(organisation__slug=slug),
            )
            self.counts["incidents created"] += 1
        return incident

    def request(self, users, incidents, *, title, **fields):
        hole = self.org("kommune-3310")
        existing = AssistanceRequest.objects.filter(requester=hole, title=title).first()
        if existing is not None:
            return existing
        self.counts["requests created"] += 1
        return do_create_request(
            requester=hole,
            incident=incidents["kommune-3310"],
            acting_user=users["kommune-3310"],
            title=title,
            location=hole.municipality,
            to_office=True,
            **fields,
        )

    def offer(self, request, users, incidents, slug, quantity, note):
        existing = AssistanceOffer.objects.filter(request=request, offerer__slug=slug).first()
        if existing is not None:
            return existing, False
        self.counts["offers created"] += 1
        offer = do_make_offer(
            request,
            offerer=self.org(slug),
            acting_user=users[slug],
            quantity=quantity,
            note=note,
            offerer_incident=incidents.get(slug),
        )
        return offer, True

    def load_requests(self, users, incidents):
        needed_by = timezone.now() + timedelta(hours=18)
        generators = self.request(
            users,
            incidents,
            title=GENERATORS,
            description=(
                "Tre pumpestasjoner og Hole sykehjem er uten strøm etter Hans. Vi trenger "
                "aggregater på minst 60 kVA, helst med drivstoff for et døgn."
            ),
            category="power",
            quantity=4,
            unit="stk",
            needed_by=needed_by,
            priority="critical",
            organisations=[self.org(s) for s in ("kommune-3305", "kommune-3301", "kommune-3312")],
        )
        ringerike, created = self.offer(
            generators,
            users,
            incidents,
            "kommune-3305",
            2,
            "To aggregater à 100 kVA fra teknisk drift, kan hentes på Follum innen to timer.",
        )
        self.offer(
            generators,
            users,
            incidents,
            "kommune-3301",
            3,
            "Tre mobile aggregater (60 kVA) fra Drammen Eiendom; vi kan kjøre dem ut i kveld.",
        )
        if created:
            do_accept_offer(ringerike, acting_user=users["kommune-3310"])
            self.counts["offers accepted"] += 1
        pumps = self.request(
            users,
            incidents,
            title=PUMPS,
            description="Mange kjellere i Vik og Sundvollen står under vann.",
            category="pumps",
            quantity=6,
            unit="stk",
            needed_by=needed_by,
            priority="high",
            organisations=[self.org("kommune-3312")],
        )
        self.offer(pumps, users, incidents, "kommune-3312", 3, "Tre lensepumper fra brannvesenet.")

    def load_procurement(self, users):
        drammen = self.org("kommune-3301")
        procurement = JointProcurement.objects.filter(lead=drammen, title=PROCUREMENT).first()
        if procurement is None:
            procurement = do_create_procurement(
                lead=drammen,
                acting_user=users["kommune-3301"],
                title=PROCUREMENT,
                description=(
                    "Som under koronapandemien samler Drammen behovet for smittevernutstyr i "
                    "regionen til én bestilling. Legg inn antall per vare før fristen."
                ),
                deadline=timezone.now() + timedelta(days=14),
                items=ITEMS,
                organisations=[
                    self.org(s)
                    for s in ("kommune-3312", "kommune-3314", "kommune-3310", "kommune-3305")
                ],
            )
            self.counts["procurements created"] += 1
        if procurement.deadline <= timezone.now() or procurement.closed_at:
            return
        items = list(procurement.items.all())
        for slug, numbers in QUANTITIES.items():
            organisation = self.org(slug)
            for item, quantity in zip(items, numbers, strict=False):
                if ProcurementLine.objects.filter(item=item, organisation=organisation).exists():
                    continue
                do_set_quantity(
                    item, organisation=organisation, acting_user=users[slug], quantity=quantity
                )
                self.counts["quantities entered"] += 1
