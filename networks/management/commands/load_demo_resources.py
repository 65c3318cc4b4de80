"""Demo resources and assistance agreements (idempotent: run it again and nothing is
duplicated; an existing resource is brought back to the demo's facts, an existing
agreement is left as it is).

* Bergen's expertise offered to its neighbours: crisis management support and a
  psychosocial crisis team, shared with each neighbouring municipality and the Vestland
  region.
* Generators, pumps and flood barriers in the Øst region (Drammen, Lier, Ringerike, Hole,
  Kongsberg), shared with the region.
* Protective equipment stocks in Drammen and its neighbours, shared with the region.
* Shelters and evacuation places in Bergen, Stavanger and Drammen.
* Agreements: Nord-Jæren's mutual assistance agreement, Bergen's support to its
  neighbours, and a flood-protection agreement Drammen–Lier that expires within 60 days.

Needs ``load_structure`` and ``load_demo`` first (the organisations and demo accounts).
"""

from datetime import date, timedelta
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from networks.resources import actions
from networks.resources.models import Agreement, Resource
from networks.structure.models import Municipality, Office, Organisation
from portal.models import User

DEMO_USER = "admin@demo.samvirke.no"

#: (municipality label, category, name, description, quantity, unit, availability,
#:  lendable, contact role, coordinates or None)
OST = [
    (
        "Drammen",
        "power",
        "Mobilt aggregat 250 kVA",
        "Tilhenger, diesel, 48 timers drift.",
        3,
        "stk.",
        "available",
        True,
        "Beredskapsvakt Drammen kommune",
        (59.7439, 10.2045),
    ),
    (
        "Drammen",
        "pumps",
        "Høykapasitets lensepumper",
        'Pumper 6", 3000 l/min, med slanger.',
        8,
        "stk.",
        "available",
        True,
        "Drammen brann og redning, vakthavende",
        None,
    ),
    (
        "Drammen",
        "pumps",
        "Mobile flomvoller",
        "Vanngylte flomvoller, 0,6 m høyde.",
        400,
        "meter",
        "committed",
        True,
        "Vei og park, beredskap",
        (59.7410, 10.2160),
    ),
    (
        "Lier",
        "power",
        "Aggregat 100 kVA",
        "Stasjonert ved Lier rådhus.",
        2,
        "stk.",
        "available",
        True,
        "Beredskapskoordinator Lier",
        None,
    ),
    (
        "Lier",
        "pumps",
        "Lensepumper",
        "Mindre pumper for kjellere og kulverter.",
        12,
        "stk.",
        "available",
        True,
        "Lier kommunalteknikk",
        None,
    ),
    (
        "Ringerike",
        "power",
        "Aggregat 60 kVA",
        "Henger, kan kjøres til skoler og sykehjem.",
        4,
        "stk.",
        "available",
        True,
        "Ringerike kommune, beredskap",
        None,
    ),
    (
        "Ringerike",
        "pumps",
        "Flomsperrer (Tiger Dam)",
        "Flomlenser for Hønefoss sentrum.",
        250,
        "meter",
        "available",
        True,
        "Ringerike kommunalteknikk",
        (60.1680, 10.2560),
    ),
    (
        "Hole",
        "power",
        "Aggregat 30 kVA",
        "For Hole helsetun.",
        1,
        "stk.",
        "unavailable",
        False,
        "Hole kommune, teknisk vakt",
        None,
    ),
    (
        "Kongsberg",
        "power",
        "Mobilt aggregat 500 kVA",
        "For vannverk og pumpestasjoner.",
        1,
        "stk.",
        "available",
        True,
        "Kongsberg kommune, vann og avløp",
        None,
    ),
    (
        "Kongsberg",
        "pumps",
        "Slamsugere og pumper",
        "To pumper og en slamsuger.",
        3,
        "stk.",
        "committed",
        True,
        "Kongsberg brannvesen",
        None,
    ),
]
PROTECTIVE = [
    ("Drammen", "Munnbind type IIR", 120000, "stk."),
    ("Drammen", "Engangshansker (nitril)", 300000, "stk."),
    ("Drammen", "Smittefrakker", 25000, "stk."),
    ("Lier", "Munnbind type IIR", 20000, "stk."),
    ("Øvre Eiker", "Visir", 3000, "stk."),
    ("Holmestrand", "Engangshansker (nitril)", 40000, "stk."),
]
SHELTERS = [
    (
        "Bergen",
        "Evakueringssenter Bergen (Fana Arena)",
        "Overnatting og forpleining ved evakuering.",
        400,
        "plasser",
        (60.3160, 5.3440),
    ),
    (
        "Stavanger",
        "Evakueringssenter Stavanger (DNB Arena)",
        "Mottak og overnatting.",
        600,
        "plasser",
        (58.9480, 5.7210),
    ),
    (
        "Drammen",
        "Evakueringsplass Marienlyst",
        "Samlingsplass og midlertidig mottak.",
        300,
        "plasser",
        (59.7370, 10.1940),
    ),
]


class Command(BaseCommand):
    help = "Load demo resources and assistance agreements (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_resources is for demonstration databases only.")
        self.user = User.objects.filter(email__iexact=DEMO_USER).first()
        if self.user is None or not Organisation.objects.filter(slug="kommune-4601").exists():
            raise CommandError("Run `manage.py load_structure` and `manage.py load_demo` first.")
        self.munis = {m.label: m for m in Municipality.objects.select_related("organisation")}
        self.created = self.updated = 0
        with transaction.atomic(), pghistory.context(command="load_demo_resources"):
            self.load()
        self.stdout.write(
            f"Demo resources: {self.created} created, {self.updated} updated "
            f"({Resource.objects.count()} resources, {Agreement.objects.count()} agreements)."
        )

    def resource(self, label, category, name, description, quantity, unit, **extra):
        municipality = self.munis[label]
        owner = extra.pop("owner", None) or municipality.organisation
        coordinates = extra.pop("coordinates", None)
        facts = {
            "category": category,
            "name": name,
            "description": description,
            "quantity": Decimal(quantity),
            "unit": unit,
            "municipality": municipality,
            "latitude": coordinates[0] if coordinates else None,
            "longitude": coordinates[1] if coordinates else None,
            "availability": extra.pop("availability", "available"),
            "contact_role": extra.pop("contact_role", ""),
            "lendable": extra.pop("lendable", True),
        }
        existing = Resource.objects.filter(owner=owner, name=name).first()
        if existing is None:
            self.created += 1
            return actions.do_create_resource(
                owner=owner, acting_user=None, created_by=self.user, **facts
            )
        if any(getattr(existing, k) != v for k, v in facts.items()):
            self.updated += 1
            return actions.do_update_resource(existing, acting_user=None, **facts)
        return existing

    def share(self, resource, **audience):
        actions.do_share_resource(resource, acting_user=None, created_by=self.user, **audience)

    def agreement(self, owner, title, parties, **fields):
        existing = Agreement.objects.filter(owner=owner, title=title).first()
        if existing is not None:
            return existing
        self.created += 1
        return actions.do_create_agreement(
            owner=owner,
            acting_user=None,
            created_by=self.user,
            title=title,
            parties=parties,
            **fields,
        )

    def load(self):
        vestland = Office.objects.get(slug="vestland")
        bergen = self.munis["Bergen"]
        neighbours = list(bergen.neighbours.select_related("organisation").order_by("label"))

        # Bergen's expertise, offered to the neighbours (in line with the State Administrator)
        expertise = [
            self.resource(
                "Bergen", "personnel", "Kriseledelsesstøtte",
                "Erfarne rådgivere fra Bergen kommunes beredskapsavdeling kan støtte "
                "kriseledelsen i en nabokommune: situasjonsbilde, logg, stabsarbeid og "
                "kommunikasjon.",
                4, "personer", contact_role="Beredskapssjef, Bergen kommune",
            ),
            self.resource(
                "Bergen", "personnel", "Psykososialt kriseteam",
                "Bergen kommunes psykososiale kriseteam kan bistå ved store hendelser i "
                "nabokommunene (etter anmodning, i samråd med Statsforvalteren).",
                8, "personer", contact_role="Leder psykososialt kriseteam, Bergen kommune",
            ),
            self.resource(
                "Bergen", "ict", "Samband og kriseledelsesverktøy",
                "Lån av nødnettsterminaler og oppsett av felles loggføring.",
                20, "terminaler", contact_role="IKT-beredskap, Bergen kommune",
            ),
        ]  # fmt: skip
        for resource in expertise:
            self.share(resource, office=vestland)
            for neighbour in neighbours:
                self.share(resource, organisation=neighbour.organisation)

        # generators, pumps and flood barriers in the Øst region
        for label, category, name, description, qty, unit, avail, lend, contact, coords in OST:
            resource = self.resource(
                label, category, name, description, qty, unit,
                availability=avail, lendable=lend, contact_role=contact, coordinates=coords,
            )  # fmt: skip
            self.share(resource, office=self.munis[label].county.office)

        # protective equipment stocks in Drammen and its neighbours
        for label, name, qty, unit in PROTECTIVE:
            resource = self.resource(
                label, "protective", name, "Lager av smittevernutstyr (beredskapslager).",
                qty, unit, contact_role="Smittevernoverlege / beredskapslager",
            )  # fmt: skip
            self.share(resource, office=self.munis[label].county.office)

        # shelters and evacuation places
        for label, name, description, qty, unit, coords in SHELTERS:
            resource = self.resource(
                label, "shelter", name, description, qty, unit,
                lendable=False, coordinates=coords, contact_role="Beredskapsvakt",
            )  # fmt: skip
            self.share(resource, office=self.munis[label].county.office)

        # agreements
        today = timezone.localdate()
        nord_jaeren = [
            self.munis[x].organisation for x in ("Stavanger", "Sandnes", "Sola", "Randaberg")
        ]
        stavanger_shelter = Resource.objects.get(
            owner=self.munis["Stavanger"].organisation, category="shelter"
        )
        self.agreement(
            nord_jaeren[0],
            "Nord-Jæren: avtale om gjensidig bistand",
            nord_jaeren,
            scope="Gjensidig bistand med personell, utstyr og evakueringsplasser ved "
            "uønskede hendelser i Stavanger, Sandnes, Sola og Randaberg.",
            conditions="Anmodning går fra kriseledelse til kriseledelse. Bistand ytes "
            "vederlagsfritt de første 24 timene; deretter dekkes dokumenterte kostnader. "
            "Statsforvalteren i Rogaland orienteres.",
            valid_from=date(2022, 1, 1),
            valid_until=date(2027, 12, 31),
            resources=[stavanger_shelter],
        )
        self.agreement(
            bergen.organisation,
            "Bergen og nabokommunene: støtte til kriseledelse",
            [bergen.organisation, *[n.organisation for n in neighbours]],
            scope="Bergen stiller kriseledelsesstøtte og psykososialt kriseteam til "
            "rådighet for nabokommunene etter anmodning.",
            conditions="I linje med Statsforvalteren i Vestland, som orienteres ved hver "
            "anmodning.",
            valid_from=date(2024, 1, 1),
            valid_until=date(2028, 12, 31),
            resources=expertise[:2],
        )
        drammen, lier = self.munis["Drammen"].organisation, self.munis["Lier"].organisation
        self.agreement(
            drammen,
            "Flomvern Drammenselva: Drammen og Lier",
            [drammen, lier],
            scope="Utlån av mobile flomvoller og lensepumper ved flom i Drammenselva og Lierelva.",
            conditions="Låntaker sørger for transport og retur; skader dekkes av låntaker.",
            valid_from=date(2023, 5, 1),
            valid_until=today + timedelta(days=30),
            resources=list(Resource.objects.filter(owner__in=[drammen, lier], category="pumps")),
        )
