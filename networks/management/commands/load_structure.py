"""Load or update Norway's preparedness structure from the bundled reference data.

Idempotent: every row is matched on its natural key (office slug, county number,
municipality number, network slug) and updated in place, so running it twice changes
nothing and running it after the files change updates what changed.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from networks.structure.models import (
    Council,
    County,
    Municipality,
    Network,
    NetworkKind,
    NetworkMembership,
    Office,
    Organisation,
    OrganisationKind,
)
from networks.structure.neighbours import derive_neighbours

DATA = Path(__file__).resolve().parents[2] / "data"

NATIONAL_ORGANISATIONS = [
    # slug, name, short name, kind, orgnr
    (
        "dsb",
        "Direktoratet for samfunnssikkerhet og beredskap",
        "DSB",
        OrganisationKind.NATIONAL_AGENCY,
        "974760983",
    ),
    (
        "helsedirektoratet",
        "Helsedirektoratet",
        "Hdir",
        OrganisationKind.NATIONAL_AGENCY,
        "983544622",
    ),
    (
        "imdi",
        "Integrerings- og mangfoldsdirektoratet",
        "IMDi",
        OrganisationKind.NATIONAL_AGENCY,
        "987879696",
    ),
    ("ks", "KS – Kommunesektorens organisasjon", "KS", OrganisationKind.KS, "971032146"),
]


#: Descriptions shown in the portal (Norwegian; networks.json describes them in English).
NETWORK_DESCRIPTIONS = {
    "ks-storbynettverk": "KS' nettverk for de åtte største kommunene, med et politisk spor "
    "(ordførere og byrådsledere) og et administrativt spor (kommunedirektører).",
    "snb": "Uformelt forum for beredskapssjefene i seks storbyer: alle medlemmene av KS "
    "Storbynettverk unntatt Bærum og Drammen. KPMG-rapporten fra 2023 anbefaler å utvide "
    "nettverket til alle åtte.",
}


def load_json(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class Command(BaseCommand):
    help = "Load or update offices, counties, municipalities, national bodies and networks."

    @transaction.atomic
    def handle(self, *args, **options):
        offices = self.load_offices()
        counties = self.load_counties(offices)
        municipalities = self.load_municipalities(counties)
        self.load_neighbours(municipalities)
        national = self.load_national()
        self.load_networks(municipalities, national)
        self.stdout.write(
            f"Structure: {len(offices)} offices, {len(counties)} counties, "
            f"{len(municipalities)} municipalities, {Network.objects.count()} networks."
        )

    def upsert_org(self, slug, **fields):
        org, _ = Organisation.objects.update_or_create(slug=slug, defaults=fields)
        return org

    def load_offices(self):
        offices = {}
        for row in load_json("statsforvalter.json")["statsforvaltere"]:
            org = self.upsert_org(
                f"statsforvalteren-{row['id']}",
                name=row["name"],
                short_name=row["name_bokmaal"].removeprefix("Statsforvalteren i "),
                kind=OrganisationKind.STATE_ADMINISTRATOR,
                orgnr=row["orgnr"],
                website=row["website"],
            )
            office, _ = Office.objects.update_or_create(
                slug=row["id"],
                defaults={
                    "name": row["name"],
                    "name_bokmaal": row["name_bokmaal"],
                    "orgnr": row["orgnr"],
                    "website": row["website"],
                    "organisation": org,
                },
            )
            if org.region_id != office.id:
                org.region = office
                org.save(update_fields=["region"])
            Council.objects.get_or_create(
                office=office,
                defaults={"name": "Fylkesberedskapsrådet – " + office.short_name},
            )
            offices[row["id"]] = office
        return offices

    def load_counties(self, offices):
        counties = {}
        for row in load_json("fylker.json")["fylker"]:
            county, _ = County.objects.update_or_create(
                number=row["fylkesnummer"],
                defaults={
                    "name": row["name"],
                    "name_no": row["name_no"],
                    "office": offices[row["statsforvalter"]],
                    "population": row["population_2024"],
                    "area_km2": Decimal(str(row["area_km2"])),
                },
            )
            counties[county.number] = county
        return counties

    def load_municipalities(self, counties):
        existing = {m.number: m for m in Municipality.objects.select_related("organisation")}
        result = {}
        for row in load_json("kommuner.json")["kommuner"]:
            county = counties[row["fylkesnummer"]]
            org = self.upsert_org(
                f"kommune-{row['kommunenummer']}",
                name=f"{row['label']} kommune",
                short_name=row["label"],
                kind=OrganisationKind.MUNICIPALITY,
                region=county.office,
                website=row.get("website") or "",
            )
            fields = {
                "name": row["name"],
                "name_no": row["name_no"],
                "label": row["label"],
                "county": county,
                "population": row["population_2024"],
                "area_km2": Decimal(str(row["area_km2"])),
                "administrative_centre": row.get("administrative_centre") or "",
                "website": row.get("website") or "",
                "label_lon": row["label_point"][0],
                "label_lat": row["label_point"][1],
                "organisation": org,
            }
            municipality = existing.get(row["kommunenummer"])
            if municipality is None:
                municipality = Municipality.objects.create(number=row["kommunenummer"], **fields)
            else:
                changed = [k for k, v in fields.items() if getattr(municipality, k) != v]
                for key in changed:
                    setattr(municipality, key, fields[key])
                if changed:
                    municipality.save(update_fields=changed)
            result[municipality.number] = municipality
        return result

    def load_neighbours(self, municipalities):
        pairs = derive_neighbours(load_json("kommuner.geojson"))
        through = Municipality.neighbours.through
        wanted = set()
        for a, b in pairs:
            ia, ib = municipalities[a].id, municipalities[b].id
            wanted.add((ia, ib))
            wanted.add((ib, ia))
        have = set(through.objects.values_list("from_municipality_id", "to_municipality_id"))
        through.objects.bulk_create(
            [through(from_municipality_id=f, to_municipality_id=t) for f, t in wanted - have]
        )
        stale = have - wanted
        for f, t in stale:
            through.objects.filter(from_municipality_id=f, to_municipality_id=t).delete()

    def load_national(self):
        return {
            slug: self.upsert_org(slug, name=name, short_name=short, kind=kind, orgnr=orgnr)
            for slug, name, short, kind, orgnr in NATIONAL_ORGANISATIONS
        }

    def load_networks(self, municipalities, national):
        as_of = date(2023, 10, 9)
        for row in load_json("networks.json")["networks"]:
            network, created = Network.objects.get_or_create(
                slug=row["id"],
                defaults={
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "kind": NetworkKind.NATIONAL,
                    "description": NETWORK_DESCRIPTIONS.get(row["id"], row["description"]),
                    "owner": national["ks"] if row.get("owner") == "KS" else None,
                },
            )
            if not created:
                continue  # memberships are edited in the portal from here on
            for member in row["members"]:
                NetworkMembership.objects.create(
                    network=network,
                    organisation=municipalities[member["kommunenummer"]].organisation,
                    joined_on=as_of,
                    note="Medlem per rapporten «Storbyenes samhandling om beredskap» (2023)",
                )
