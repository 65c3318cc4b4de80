"""Benchmark of the resource search over 50,000 resources.

The resources belong to all 357 municipalities (each owned by the municipality it is in),
in every category and availability, a third with exact coordinates; about a third are
shared with everyone, a quarter with the owner's region, the rest not at all. They are
built with ``INSERT … SELECT`` over ``generate_series`` in batches (inside a pghistory
context: the history trigger runs for each row), in a database of its own
(:data:`DB_NAME`, made with Django's test database machinery as :mod:`bench.reporting`
does) that :func:`cleanup` drops at the end.

The search — as Bergen's emergency manager, through the API with the page's FilterSet:
power resources that are available, near Bergen in the same region (nearest first), the
first page of 100 and the count — against one hand-written SQL query returning the same
rows as JSON (same visibility rule, same filters, same order). On this machine (2 cores
shared with other work): about 93 ms against 15 ms, 6.3× — the per-request work the raw
SQL does not do (session, user, the viewer's roles and networks, the municipality named
in ``near``, then the count and the page as two queries, and DRF serialising 100 rows).
"""

from __future__ import annotations

import json
import time

import pghistory
from django.db import connection

from bench.owndb import OwnDatabase

SIZE = 50_000
DB_NAME = "bench_samvirke_resources"
BATCH = 5_000
PARAMS = {"near": "4601", "nearness": "region", "category": "power", "availability": "available"}

DATABASE = OwnDatabase(DB_NAME)


def enter_own_database(verbosity=0) -> list[str]:
    return DATABASE.enter(verbosity)


def cleanup():
    """Drop the database of its own and point the connection back (idempotent)."""
    DATABASE.cleanup()


RESOURCES_SQL = """
INSERT INTO networks_resource (uuid, owner_id, category, name, description, quantity, unit,
    municipality_id, latitude, longitude, availability, contact_role, lendable,
    created_by_id, created_at, updated_at)
SELECT gen_random_uuid(), m.organisation_id,
       (ARRAY['personnel','power','pumps','protective','shelter','vehicles','water','ict',
              'other'])[1 + (i %% 9)],
       'Bench-ressurs ' || i, 'Generert for ytelsestest.', (i %% 50)::numeric, 'stk.',
       m.id,
       CASE WHEN i %% 3 = 0 THEN m.label_lat + ((i %% 7) - 3) * 0.01 END,
       CASE WHEN i %% 3 = 0 THEN m.label_lon + ((i %% 5) - 2) * 0.01 END,
       (ARRAY['available','available','committed','unavailable'])[1 + (i %% 4)],
       'Beredskapsvakt', i %% 2 = 0, %(user)s, now(), now()
FROM generate_series(%(first)s, %(last)s) AS i
JOIN (SELECT id, organisation_id, label_lat, label_lon,
             row_number() OVER (ORDER BY number) - 1 AS k
      FROM networks_municipality) m ON m.k = i %% %(municipalities)s
"""

SHARES_SQL = """
INSERT INTO networks_resourceshare (resource_id, organisation_id, network_id, office_id,
    everyone, created_by_id, created_at)
SELECT r.id, NULL, NULL, CASE WHEN r.id %% 12 < 4 THEN NULL ELSE o.region_id END,
       r.id %% 12 < 4, %(user)s, now()
FROM networks_resource r
JOIN networks_organisation o ON o.id = r.owner_id
WHERE r.name LIKE 'Bench-ressurs %%' AND r.id %% 12 < 7 AND o.region_id IS NOT NULL
"""

#: The search as raw SQL: the visibility of :func:`portal.access.shared_visible_q` for a
#: municipal user (own, or shared with everyone, one of the orgs, a network of theirs, or
#: their region), the filters, the nearest-first order, the count and the first page.
SEARCH_SQL = """
WITH visible AS (
    SELECT r.id, r.uuid, r.owner_id, r.category, r.name, r.description, r.quantity, r.unit,
           r.municipality_id, r.latitude, r.longitude, r.availability, r.contact_role,
           r.lendable, r.created_at, r.updated_at,
           CASE WHEN r.municipality_id = %(m)s THEN 0
                WHEN r.municipality_id IN (SELECT to_municipality_id
                                           FROM networks_municipality_neighbours
                                           WHERE from_municipality_id = %(m)s) THEN 1
                ELSE 2 END AS rank
    FROM networks_resource r
    JOIN networks_municipality m ON m.id = r.municipality_id
    JOIN networks_county c ON c.id = m.county_id
    WHERE (r.owner_id = ANY(%(orgs)s) OR EXISTS (
               SELECT 1 FROM networks_resourceshare s
               WHERE s.resource_id = r.id
                 AND (s.everyone OR s.organisation_id = ANY(%(orgs)s)
                      OR s.network_id = ANY(%(networks)s) OR s.office_id = ANY(%(regions)s)
                      OR s.office_id IN (SELECT id FROM networks_office
                                         WHERE organisation_id = ANY(%(orgs)s)))))
      AND r.category = %(category)s AND r.availability = %(availability)s
      AND c.office_id = %(office)s
)
SELECT json_build_object(
    'count', (SELECT count(*) FROM visible),
    'results', (SELECT json_agg(row) FROM (
        SELECT v.uuid AS id, o.uuid AS owner, o.name AS owner_name, v.category, v.name,
               v.description, v.quantity::text AS quantity, v.unit, m.number AS municipality,
               m.label AS municipality_name, v.latitude, v.longitude, v.availability,
               v.contact_role, v.lendable, v.created_at, v.updated_at
        FROM visible v
        JOIN networks_organisation o ON o.id = v.owner_id
        JOIN networks_municipality m ON m.id = v.municipality_id
        ORDER BY v.rank, v.category, v.name, v.id
        LIMIT 100
    ) row)
)
"""


def bench_user():
    from django.contrib.auth import get_user_model

    from networks.structure.models import Organisation
    from portal.models import RoleAssignment

    user, _ = get_user_model().objects.get_or_create(
        username="bench-resources", defaults={"email": "bench-resources@bench.samvirke.invalid"}
    )
    RoleAssignment.objects.get_or_create(
        user=user,
        organisation=Organisation.objects.get(slug="kommune-4601"),
        role="emergency_manager",
    )
    return user


class ResourceSearch:
    """Same interface as :class:`bench.benchmarks.Benchmark` plus ``notes``."""

    goal = None
    repeat = 15

    def __init__(self, size=None, own_database=True):
        self.size = size
        self.own_database = own_database
        self.notes: list[str] = []
        self.available = True
        self.name = "resource search API (near, filters)"

    def build(self, size):
        from networks.resources.models import Resource
        from networks.structure.models import Municipality

        began = time.perf_counter()
        self.user = bench_user()
        if Resource.objects.filter(name__startswith="Bench-ressurs ").count() < size:
            params = {"user": self.user.pk, "municipalities": Municipality.objects.count()}
            with pghistory.context(command="bench.resources"), connection.cursor() as cursor:
                for first in range(0, size, BATCH):
                    last = min(first + BATCH, size) - 1
                    cursor.execute(RESOURCES_SQL, {**params, "first": first, "last": last})
                cursor.execute(SHARES_SQL, {"user": self.user.pk})
                cursor.execute("ANALYZE networks_resource; ANALYZE networks_resourceshare")
        self.notes.append(
            f"{size:,} resources built in {time.perf_counter() - began:.1f} s".replace(",", " ")
        )

    def setup(self):
        from django.test import Client
        from django.urls import reverse

        from networks.structure.models import Municipality
        from portal.access import viewer_for

        size = self.size or SIZE
        if self.own_database:
            self.notes += enter_own_database()
        self.build(size)
        self.client = Client()
        self.client.force_login(self.user)
        self.url = reverse("api:resource-list")
        bergen = Municipality.objects.select_related("county").get(number=PARAMS["near"])
        viewer = viewer_for(self.user)
        from networks.structure.models import Organisation

        self.sql_params = {
            "m": bergen.pk,
            "orgs": sorted(viewer.org_ids),
            "networks": sorted(viewer.network_ids),
            "regions": list(
                Organisation.objects.filter(pk__in=viewer.org_ids)
                .exclude(region_id=None)
                .values_list("region_id", flat=True)
            ),
            "category": PARAMS["category"],
            "availability": PARAMS["availability"],
            "office": bergen.county.office_id,
        }
        ours = json.loads(self.portal())
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SQL, self.sql_params)
            raw = cursor.fetchone()[0]
        assert ours["count"] == raw["count"], (ours["count"], raw["count"])
        assert [r["id"] for r in ours["results"]] == [r["id"] for r in raw["results"] or []]
        count = f"{size:,}".replace(",", " ")
        self.name = f"resource search API ({count} resources, {raw['count']} found)"

    def portal(self):
        response = self.client.get(self.url, PARAMS)
        assert response.status_code == 200, response.status_code
        return response.content

    def raw(self, cursor):
        cursor.execute(SEARCH_SQL, self.sql_params)
        return json.dumps(cursor.fetchone()[0], default=str)


ALL = [ResourceSearch()]
