"""Benchmark for the library: Norwegian full-text search over 20,000 documents, against
the hand-written SQL that returns the same rows.

The corpus — 20,000 documents of every kind owned by all 357 municipalities, with
Norwegian texts of the kind the library holds (local regulations, action cards, plan and
evaluation templates), a third shared with SNB and one in seven with everyone — is built
with ``INSERT … SELECT`` over ``generate_series`` (1,000 rows a statement: the pghistory
insert trigger grows faster than linearly with the rows of one statement), in a database
of its own (:data:`DB_NAME`, made with Django's test database machinery, migrated, loaded
with the structure) and dropped at the end (:func:`cleanup`), as :mod:`bench.reporting`
and :mod:`bench.lessons` do. Only the document rows are built (no versions): search
reads the document row, which mirrors the latest version.

* **document search** — ``networks.library.search.search_documents`` for a Bergen
  emergency manager (the access layer: own, shared with the user's organisation, networks
  or region, or with everyone), ``?q=forskrift smittevern``, the count and the first 50
  rows as the library page shows them; the viewer is computed afresh each time, as for a
  request.

The lessons' search over 20,000 lessons is :mod:`bench.lessons` (same runner).

Sizes: :data:`FULL` (20,000) by default, :data:`QUICK` (2,000) with ``--quick``.
"""

from __future__ import annotations

import json
import time

from django.db import connection

from bench.owndb import OwnDatabase, dumps, viewer_params

FULL = 20_000
QUICK = 2_000
SIZE = FULL
BATCH = 1_000
DB_NAME = "bench_samvirke_library"
QUERY = "forskrift smittevern"
PAGE = 50

KINDS = ["action_card", "plan_template", "evaluation_template", "local_regulation",
         "agreement", "guide"]  # fmt: skip
TITLES = [
    "Lokal forskrift om smitteverntiltak", "Tiltakskort: langvarig strømbrudd",
    "Mal for overordnet beredskapsplan", "Mal for evaluering av pandemihåndteringen",
    "Avtale om gjensidig bistand", "Veileder for evakuering ved flom",
    "Tiltakskort: evakuering av sykehjem", "Plan for krisekommunikasjon",
    "Lokal forskrift om bruk av vann under tørke", "Veileder for felles innkjøp",
]  # fmt: skip
TOPICS = ["Smittevern", "Strømbrudd", "Flom", "Evakuering", "Innkjøp", "Kommunikasjon"]
BODIES = [
    "§ 1 Formål. Forskriften skal begrense spredning av smitte i kommunen.",
    "Sett kriseledelsen og varsle statsforvalteren innen én time.",
    "Planen beskriver kommunens kriseledelse, varslingsliste og ressursoversikt.",
    "Evalueringen ser på kriseledelse, samhandling, tjenestene og kommunikasjon.",
    "Partene stiller personell og utstyr til disposisjon for hverandre ved behov.",
    "Kartlegg flomutsatte boligområder og avtal evakuerte- og pårørendesenter.",
    "Smittevernutstyr skal kjøpes inn felles for kommunene i regionen.",
    "Informasjon til innbyggerne skal gis på flere språk.",
]

DATABASE = OwnDatabase(DB_NAME)


def enter_own_database(verbosity=0) -> list[str]:
    return DATABASE.enter(verbosity)


def cleanup():
    """Drop the database of its own and point the connection back (idempotent)."""
    DATABASE.cleanup()
    CORPUS.built = False


def bench_user():
    """An emergency manager in Bergen (an SNB and KS Storbynettverk member)."""
    from django.contrib.auth import get_user_model

    from networks.structure.models import Organisation
    from portal.models import RoleAssignment

    user, _ = get_user_model().objects.get_or_create(
        username="bench-library", defaults={"email": "bench-library@bench.samvirke.invalid"}
    )
    RoleAssignment.objects.get_or_create(
        user=user,
        organisation=Organisation.objects.get(slug="kommune-4601"),
        role="emergency_manager",
    )
    return user


INSERT_SQL = """
INSERT INTO networks_document (uuid, owner_id, kind, title, topic, body, current_number,
    created_by_id, created_at, updated_at)
SELECT gen_random_uuid(),
       m.owners[1 + (i * 7919) %% cardinality(m.owners)],
       (%(kinds)s::text[])[1 + i %% cardinality(%(kinds)s::text[])],
       (%(titles)s::text[])[1 + (i * 31) %% cardinality(%(titles)s::text[])] || ' (' || i || ')',
       (%(topics)s::text[])[1 + (i * 7) %% cardinality(%(topics)s::text[])],
       (%(bodies)s::text[])[1 + (i * 17) %% cardinality(%(bodies)s::text[])] || ' '
         || (%(bodies)s::text[])[1 + (i * 13) %% cardinality(%(bodies)s::text[])],
       1, %(user)s,
       now() - make_interval(mins => i), now() - make_interval(mins => i)
FROM generate_series(%(first)s, %(last)s) AS i,
     (SELECT array_agg(organisation_id ORDER BY number) AS owners
      FROM networks_municipality) AS m
"""

SHARE_SQL = """
INSERT INTO networks_documentshare (document_id, network_id, organisation_id, office_id,
    everyone, created_by_id, created_at)
SELECT d.id, CASE WHEN d.id %% 3 = 0 THEN %(snb)s END, NULL, NULL, d.id %% 3 <> 0,
       %(user)s, now()
FROM networks_document d
WHERE d.created_by_id = %(user)s AND (d.id %% 3 = 0 OR d.id %% 7 = 0)
"""


class Corpus:
    """The documents: built once (in the database of its own unless ``own_database`` is
    False, as in the smoke test)."""

    def __init__(self, size=None, own_database=True):
        self.size = size
        self.own_database = own_database
        self.notes: list[str] = []
        self.built = False

    def ensure(self):
        if self.built:
            return self
        if self.own_database:
            self.notes += enter_own_database()
        self.build(self.size or SIZE)
        self.built = True
        return self

    def build(self, size):
        from networks.structure.models import Network

        began = time.perf_counter()
        self.user = bench_user()
        params = {"kinds": KINDS, "titles": TITLES, "topics": TOPICS, "bodies": BODIES,
                  "user": self.user.pk}  # fmt: skip
        with connection.cursor() as cursor:
            for first in range(1, size + 1, BATCH):
                cursor.execute(
                    INSERT_SQL, {**params, "first": first, "last": min(first + BATCH - 1, size)}
                )
            cursor.execute(
                SHARE_SQL, {"snb": Network.objects.get(slug="snb").pk, "user": self.user.pk}
            )
            cursor.execute("ANALYZE networks_document")
            cursor.execute("ANALYZE networks_documentshare")
        count = f"{size:,}".replace(",", " ")
        self.notes.append(
            f"{count} documents (a third shared with SNB, one in seven with everyone) built "
            f"in {time.perf_counter() - began:.1f} s"
        )


SEARCH_SQL = f"""
WITH q AS (SELECT websearch_to_tsquery('norwegian', %(q)s)
                  || to_tsquery('norwegian', %(prefixes)s) AS q),
hits AS (
    SELECT d.id, d.uuid, d.title, d.kind, d.topic, d.current_number, d.updated_at,
           d.owner_id, ts_rank(d.search, q.q) AS rank
    FROM networks_document d, q
    WHERE d.search @@ q.q AND (d.owner_id = ANY(%(orgs)s) OR EXISTS (
        SELECT 1 FROM networks_documentshare s WHERE s.document_id = d.id AND (
            s.everyone OR s.organisation_id = ANY(%(orgs)s)
            OR s.network_id = ANY(%(networks)s) OR s.office_id = ANY(%(regions)s)
            OR s.office_id IN (
                SELECT id FROM networks_office WHERE organisation_id = ANY(%(orgs)s)))))
)
SELECT json_build_object(
    'count', (SELECT count(*) FROM hits),
    'results', (SELECT json_agg(r) FROM (
        SELECT h.uuid AS id, h.title, h.kind, o.name AS owner, h.topic,
               h.current_number AS version, h.updated_at
        FROM hits h JOIN networks_organisation o ON o.id = h.owner_id
        ORDER BY h.rank DESC, h.title, h.id LIMIT {PAGE}) r))
"""  # noqa: S608 — constant SQL of our own; values travel as parameters


class DocumentSearch:
    name = "document search"
    goal = None
    repeat = 15

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.notes: list[str] = []
        self.available = True

    def setup(self):
        from portal.search import word_prefix

        self.corpus.ensure()
        self.notes += self.corpus.notes
        self.corpus.notes = []
        self.params = viewer_params(self.corpus.user)
        words = [w.lower() for w in QUERY.split() if len(w) >= 3]
        self.params.update(q=QUERY, prefixes=" & ".join(f"{word_prefix(w)}:*" for w in words))
        size = f"{self.corpus.size or SIZE:,}".replace(",", " ")
        self.name = f"document search ({size} documents, page of {PAGE})"
        ours, raw = json.loads(self.portal()), json.loads(self.raw_once())
        assert ours["count"] == raw["count"], (ours["count"], raw["count"])
        assert [r["id"] for r in ours["results"]] == [r["id"] for r in raw["results"] or []]
        self.notes.append(f"'{QUERY}': {ours['count']} hits the bench user may see")

    def fresh_user(self):
        from portal.access import forget_viewer

        forget_viewer(self.corpus.user)
        return self.corpus.user

    def portal(self):
        from networks.library.search import search_documents

        documents = search_documents(self.fresh_user(), q=QUERY)
        count = documents.count()
        return dumps(
            {
                "count": count,
                "results": [
                    {"id": str(d.uuid), "title": d.title, "kind": d.kind, "owner": d.owner.name,
                     "topic": d.topic, "version": d.current_number, "updated_at": d.updated_at}
                    for d in documents[:PAGE]
                ],
            }
        )  # fmt: skip

    def raw_once(self):
        with connection.cursor() as cursor:
            return self.raw(cursor.cursor)

    def raw(self, cursor):
        cursor.execute(SEARCH_SQL, self.params)
        return dumps(cursor.fetchone()[0])


CORPUS = Corpus()
ALL = [DocumentSearch(CORPUS)]
