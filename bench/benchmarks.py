"""The benchmarks: each pairs a portal endpoint with the raw SQL that returns the same
rows (as JSON, so both sides do the serialisation work)."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

MUNICIPALITY_SQL = """
SELECT json_build_object('count', count(*) OVER (), 'results', json_agg(row ORDER BY row.number))
FROM (
    SELECT m.uuid AS id, m.number, m.label, m.name, m.name_no, c.number AS county,
           o.slug AS office, m.population, m.area_km2::text, m.administrative_centre, m.website,
           json_build_array(m.label_lon, m.label_lat) AS label_point, org.uuid AS organisation
    FROM networks_municipality m
    JOIN networks_county c ON c.id = m.county_id
    JOIN networks_office o ON o.id = c.office_id
    JOIN networks_organisation org ON org.id = m.organisation_id
) row
"""

MUNICIPALITY_PAGE_SQL = """
SELECT json_agg(row ORDER BY row.label) FROM (
    SELECT m.number, m.label, m.population, c.name_no AS county, o.name_bokmaal AS office
    FROM networks_municipality m
    JOIN networks_county c ON c.id = m.county_id
    JOIN networks_office o ON o.id = c.office_id
    ORDER BY m.label LIMIT 50
) row
"""


@dataclass
class Benchmark:
    name: str
    url: str
    sql: str
    goal: float | None = None
    repeat: int = 30
    client: Client | None = None
    check: Callable | None = None

    def setup(self):
        from django.contrib.auth import get_user_model

        from networks.structure.models import Organisation
        from portal.models import RoleAssignment

        user, _ = get_user_model().objects.get_or_create(
            username="bench", defaults={"email": "bench@bench.samvirke.invalid"}
        )
        RoleAssignment.objects.get_or_create(
            user=user,
            organisation=Organisation.objects.get(slug="kommune-4601"),
            role="emergency_manager",
        )
        self.client = Client()
        self.client.force_login(user)
        response = self.client.get(self.url)
        assert response.status_code == 200, (self.url, response.status_code)
        if self.check:
            self.check(response)

    def portal(self):
        response = self.client.get(self.url)
        return response.content

    def raw(self, cursor):
        cursor.execute(self.sql)
        return json.dumps(cursor.fetchone()[0])


def all_357(response):
    assert response.json()["count"] == 357


ALL = [
    Benchmark(
        "municipality list API (357 rows)",
        "/api/v1/municipalities/?page_size=500&format=json",
        MUNICIPALITY_SQL,
        goal=4.0,
        check=all_357,
    ),
    Benchmark(
        "municipality list page (50 of 357)",
        "/katalog/kommuner/",
        MUNICIPALITY_PAGE_SQL,
    ),
]
