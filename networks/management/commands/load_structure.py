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
from django.utils import timezone

from networks.structure.actions import sync_neighbours
from networks.structure.models import (
    Council,
    CouncilMembership,
    County,
    Municipality,
    NeighbourBasis,
    NeighbourLink,
    Network,
    NetworkKind,
    NetworkMembership,
    Office,
    Organisation,
    OrganisationKind,
)
from networks.structure.neighbours import WATER_DISTANCE_M, derive_near_pairs, derive_neighbours

DATA = Path(__file__).resolve().parents[2] / "data"
#: The structure's own reference data (agencies, council seats, fixed links): SOURCES.md.
STRUCTURE_DATA = Path(__file__).resolve().parents[2] / "structure" / "data"

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


def load_json(name, folder=DATA):
    return json.loads((folder / name).read_text(encoding="utf-8"))


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
        agencies = self.load_agencies(offices)
        seats = self.load_council_seats(offices)
        self.stdout.write(
            f"Structure: {len(offices)} offices, {len(counties)} counties, "
            f"{len(municipalities)} municipalities, {Network.objects.count()} networks, "
            f"{len(agencies)} agencies, {seats} new council seats, "
            f"{NeighbourLink.objects.current().count()} neighbour pairs."
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
        """Neighbour pairs: shared land borders, boundaries within WATER_DISTANCE_M across
        water, and the fixed links of fixed_links.json. A pair is created once; an office's
        removal is kept (a removed pair is not derived back), and a derived pair the data
        no longer gives is removed with that reason."""
        geojson = load_json("kommuner.geojson")
        derived: dict[tuple[str, str], tuple[str, int | None, str]] = {}
        for a, distance in derive_near_pairs(geojson).items():
            derived[a] = (
                NeighbourBasis.WATER,
                round(distance),
                f"Grensene er innen {WATER_DISTANCE_M} m av hverandre "
                "(over vann, eller de møtes i et punkt)",
            )
        for link in load_json("fixed_links.json", STRUCTURE_DATA)["links"]:
            pair = tuple(sorted(link["municipalities"]))
            distance = derived.get(pair, (None, None, ""))[1]
            derived[pair] = (NeighbourBasis.FIXED_LINK, distance, link["source"])
        for pair in derive_neighbours(geojson):
            derived[pair] = (NeighbourBasis.LAND, 0, "Felles grense (Kartverket)")
        known = {
            (link.first.number, link.second.number): link
            for link in NeighbourLink.objects.select_related("first", "second").order_by(
                "removed_at"
            )
        }
        derived_bases = {NeighbourBasis.LAND, NeighbourBasis.WATER, NeighbourBasis.FIXED_LINK}
        new = [
            NeighbourLink(
                first=municipalities[a],
                second=municipalities[b],
                basis=basis,
                distance_m=distance,
                source=source,
            )
            for (a, b), (basis, distance, source) in sorted(derived.items())
            if (a, b) not in known
        ]
        NeighbourLink.objects.bulk_create(new)
        for pair, link in known.items():
            if pair not in derived and link.removed_at is None and link.basis in derived_bases:
                link.removed_at = timezone.now()
                link.removed_reason = "Ikke lenger avledet fra grensedataene"
                link.save(update_fields=["removed_at", "removed_reason"])
        sync_neighbours(NeighbourLink.objects.current().values_list("first_id", "second_id"))

    def load_agencies(self, offices):
        """The agencies of agencies.json as organisations (they hold Role.LIAISON)."""
        result = {}
        for row in load_json("agencies.json", STRUCTURE_DATA)["agencies"]:
            result[row["slug"]] = self.upsert_org(
                row["slug"],
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                region=offices[row["region"]],
                website=row["website"],
            )
        return result

    def load_council_seats(self, offices):
        """Seats of councils.json. Like network memberships, seats are edited in the
        portal once they exist: a seat is created only for an organisation that never
        had one in that council. Returns how many were created."""
        data = load_json("councils.json", STRUCTURE_DATA)
        since = date.fromisoformat(data["as_of"])
        councils = {c.office_id: c for c in Council.objects.all()}
        slugs = {seat["organisation"] for seats in data["councils"].values() for seat in seats}
        orgs = Organisation.objects.in_bulk(slugs, field_name="slug")
        seen = set(CouncilMembership.objects.values_list("council_id", "organisation_id"))
        new = []
        for office_slug, seats in data["councils"].items():
            council = councils[offices[office_slug].pk]
            for seat in seats:
                org = orgs[seat["organisation"]]
                if (council.pk, org.pk) in seen:
                    continue
                seen.add((council.pk, org.pk))
                new.append(
                    CouncilMembership(
                        council=council,
                        organisation=org,
                        status=seat["status"],
                        since=since,
                        note=seat["note"],
                    )
                )
        CouncilMembership.objects.bulk_create(new)
        return len(new)

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
