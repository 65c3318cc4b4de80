"""Benchmarks for lessons learned: Norwegian full-text search and "similar lessons" over
20,000 lessons, each against the hand-written SQL that returns the same rows.

The corpus — 20,000 lessons owned by all 357 municipalities, with texts drawn from
Norwegian phrases of the kind the city evaluations use, a third shared with SNB and one in
seven with everyone — is built with ``INSERT … SELECT`` over ``generate_series`` (1,000
rows a statement: the pghistory insert trigger grows faster than linearly with the rows of
one statement), in a database of its own (:data:`DB_NAME`, made with Django's test
database machinery, migrated, loaded with the structure) and dropped at the end
(:func:`cleanup`), as :mod:`bench.reporting` does.

* **lesson search** — ``incidents.lessons.views.lesson_list`` for a Bergen emergency
  manager (the access layer: own, shared with the user's organisation, networks or region,
  or with everyone), ``?q=smittevernutstyr beredskapslager``, the first page of 25 with the count,
  serialised as the page shows it; the viewer is computed afresh each time, as for a
  request;
* **similar lessons** — ``incidents.lessons.views.similar_lessons`` for one lesson.

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
DB_NAME = "bench_samvirke_lessons"
QUERY = "smittevernutstyr beredskapslager"
PAGE = 25

TITLES = [
    "Mangel på smittevernutstyr", "Felles innkjøp av smittevernutstyr",
    "Digitale møter i kriseledelsen",
    "Rapportering til Statsforvalteren", "Informasjon til innbyggerne", "Utholdenhet i staben",
    "Evakuering av sykehjem", "Drivstoff til aggregater", "Varsling ved flom",
    "Frivillige i krisehåndteringen", "Samarbeid i storbynettverket", "Lokal forskrift på tvers",
]  # fmt: skip
HAPPENED = [
    "Beredskapslageret var tomt etter få uker.",
    "Kriseledelsen møttes digitalt fra første helg.",
    "Kommunen sendte rapporter opp, men fikk lite tilbake.",
    "Nøkkelpersoner sto i høyt arbeidspress over lang tid.",
    "Mobilnettet falt ut og varslingen nådde ikke alle.",
    "Nabokommunene ba om hjelp med utstyr og kompetanse.",
    "Flommen stengte veier og truet boligområder langs elva.",
    "Informasjon på flere språk nådde grupper som ellers ikke ble nådd.",
]
RECOMMENDATION = [
    "Etabler rutiner for beredskapslager og felles innkjøp.",
    "Ha reserveløsninger for samband og digitale møter.",
    "Be om at det sammenstilte situasjonsbildet deles tilbake.",
    "Planlegg rotasjon, stedfortredere og avlastning.",
    "Øv befolkningsvarsling sammen med nabokommunene.",
    "Ta frivillig sektor inn i planverket.",
]
AREAS = ["crisis_management", "communication", "procurement", "ict", "state_administrator",
         "cooperation", "health", "infrastructure", "evacuation", "staffing"]  # fmt: skip
STATUSES = ["identified", "measure_decided", "implemented", "verified"]

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
        username="bench-lessons", defaults={"email": "bench-lessons@bench.samvirke.invalid"}
    )
    RoleAssignment.objects.get_or_create(
        user=user,
        organisation=Organisation.objects.get(slug="kommune-4601"),
        role="emergency_manager",
    )
    return user


INSERT_SQL = """
INSERT INTO incidents_lesson (uuid, owner_id, title, what_happened, what_worked, what_failed,
    recommendation, area, source, status, responsible_role, created_by_id, created_at,
    updated_at)
SELECT gen_random_uuid(),
       m.owners[1 + (i * 7919) %% cardinality(m.owners)],
       (%(titles)s::text[])[1 + (i * 31) %% cardinality(%(titles)s::text[])] || ' (' || i || ')',
       (%(happened)s::text[])[1 + (i * 17) %% cardinality(%(happened)s::text[])] || ' '
         || (%(happened)s::text[])[1 + (i * 13) %% cardinality(%(happened)s::text[])],
       '', '',
       (%(recommendation)s::text[])[1 + (i * 11) %% cardinality(%(recommendation)s::text[])],
       (%(areas)s::text[])[1 + i %% cardinality(%(areas)s::text[])],
       'evaluation',
       (%(statuses)s::text[])[1 + (i * 3) %% 4],
       '', %(user)s,
       now() - make_interval(mins => i), now() - make_interval(mins => i)
FROM generate_series(%(first)s, %(last)s) AS i,
     (SELECT array_agg(organisation_id ORDER BY number) AS owners
      FROM networks_municipality) AS m
"""

SHARE_SQL = """
INSERT INTO incidents_lessonshare (lesson_id, network_id, organisation_id, office_id,
    everyone, created_by_id, created_at)
SELECT l.id, CASE WHEN l.id %% 3 = 0 THEN %(snb)s END, NULL, NULL, l.id %% 3 <> 0,
       %(user)s, now()
FROM incidents_lesson l
WHERE l.created_by_id = %(user)s AND (l.id %% 3 = 0 OR l.id %% 7 = 0)
"""


class Corpus:
    """The lessons: built once (in the database of its own unless ``own_database`` is
    False, as in the smoke test), shared by the benchmarks."""

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
        from incidents.lessons.models import Lesson
        from networks.structure.models import Network

        began = time.perf_counter()
        self.user = bench_user()
        params = {
            "titles": TITLES,
            "happened": HAPPENED,
            "recommendation": RECOMMENDATION,
            "areas": AREAS,
            "statuses": STATUSES,
            "user": self.user.pk,
        }
        with connection.cursor() as cursor:
            for first in range(1, size + 1, BATCH):
                cursor.execute(
                    INSERT_SQL, {**params, "first": first, "last": min(first + BATCH - 1, size)}
                )
            cursor.execute(
                SHARE_SQL, {"snb": Network.objects.get(slug="snb").pk, "user": self.user.pk}
            )
            cursor.execute("ANALYZE incidents_lesson")
            cursor.execute("ANALYZE incidents_lessonshare")
        self.lesson = Lesson.objects.filter(created_by=self.user).order_by("pk").first()
        self.notes.append(
            f"{size:,} lessons".replace(",", " ")
            + " (a third shared with SNB, one in seven with everyone) built in "
            f"{time.perf_counter() - began:.1f} s"
        )


VISIBLE_SQL = """(l.owner_id = ANY(%(orgs)s) OR EXISTS (
    SELECT 1 FROM incidents_lessonshare s WHERE s.lesson_id = l.id AND (
        s.everyone OR s.organisation_id = ANY(%(orgs)s) OR s.network_id = ANY(%(networks)s)
        OR s.office_id = ANY(%(regions)s)
        OR s.office_id IN (
            SELECT id FROM networks_office WHERE organisation_id = ANY(%(orgs)s)))))"""

SEARCH_SQL = f"""
WITH q AS (SELECT websearch_to_tsquery('norwegian', %(q)s)
                  || to_tsquery('norwegian', %(prefixes)s) AS q),
hits AS (
    SELECT l.id, l.uuid, l.title, l.area, l.status, l.created_at, l.owner_id,
           ts_rank(l.search, q.q) AS rank
    FROM incidents_lesson l, q
    WHERE l.search @@ q.q AND {VISIBLE_SQL}
)
SELECT json_build_object(
    'count', (SELECT count(*) FROM hits),
    'results', (SELECT json_agg(r) FROM (
        SELECT h.uuid AS id, h.title, o.name AS owner, h.area, h.status
        FROM hits h JOIN networks_organisation o ON o.id = h.owner_id
        ORDER BY h.rank DESC, h.created_at DESC, h.id DESC LIMIT {PAGE}) r))
"""  # noqa: S608 — constant SQL of our own; values travel as parameters

SIMILAR_SQL = f"""
WITH q AS (SELECT array_to_string(array(
               SELECT quote_literal(t) FROM unnest(tsvector_to_array(src.search)) AS t
               WHERE position(E'\\\\' IN t) = 0), ' | ')::tsquery AS q
           FROM incidents_lesson src WHERE src.id = %(lesson)s)
SELECT json_agg(r) FROM (
    SELECT l.uuid AS id, l.title, o.name AS owner
    FROM incidents_lesson l JOIN networks_organisation o ON o.id = l.owner_id, q
    WHERE l.id <> %(lesson)s AND l.search @@ q.q AND {VISIBLE_SQL}
    ORDER BY ts_rank(l.search, q.q, 1) DESC, l.created_at DESC, l.id DESC LIMIT 5) r
"""  # noqa: S608 — constant SQL of our own; values travel as parameters


class LessonBenchmark:
    goal = None
    repeat = 15

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.notes: list[str] = []
        self.available = True

    def setup(self):
        self.corpus.ensure()
        self.notes += self.corpus.notes
        self.corpus.notes = []
        self.params = viewer_params(self.corpus.user)

    def fresh_user(self):
        from portal.access import forget_viewer

        forget_viewer(self.corpus.user)
        return self.corpus.user


class LessonSearch(LessonBenchmark):
    name = "lesson search (first page of 25)"

    def setup(self):
        super().setup()
        from portal.search import word_prefix

        words = [w.lower() for w in QUERY.split() if len(w) >= 3]
        self.params.update(q=QUERY, prefixes=" & ".join(f"{word_prefix(w)}:*" for w in words))
        size = f"{self.corpus.size or SIZE:,}".replace(",", " ")
        self.name = f"lesson search ({size} lessons, page of 25)"
        ours, raw = json.loads(self.portal()), json.loads(self.raw_once())
        assert ours["count"] == raw["count"], (ours["count"], raw["count"])
        assert [r["id"] for r in ours["results"]] == [r["id"] for r in raw["results"] or []]
        self.notes.append(f"'{QUERY}': {ours['count']} hits the bench user may see")

    def portal(self):
        from django.core.paginator import Paginator

        from incidents.lessons.views import lesson_list

        _filter, rows = lesson_list(self.fresh_user(), {"q": QUERY})
        page = Paginator(rows, PAGE).get_page(1)
        return dumps(
            {
                "count": page.paginator.count,
                "results": [
                    {"id": str(r.uuid), "title": r.title, "owner": r.owner.name, "area": r.area,
                     "status": r.status}
                    for r in page.object_list
                ],
            }
        )  # fmt: skip

    def raw_once(self):
        with connection.cursor() as cursor:
            return self.raw(cursor.cursor)

    def raw(self, cursor):
        cursor.execute(SEARCH_SQL, self.params)
        return dumps(cursor.fetchone()[0])


class SimilarLessons(LessonBenchmark):
    name = "similar lessons (5)"

    def setup(self):
        super().setup()
        self.params["lesson"] = self.corpus.lesson.pk
        ours, raw = json.loads(self.portal()), json.loads(self.raw_once())
        assert [r["id"] for r in ours] == [r["id"] for r in raw or []], (ours, raw)

    def portal(self):
        from incidents.lessons.views import similar_lessons

        rows = similar_lessons(self.corpus.lesson, self.fresh_user())
        return dumps([{"id": str(r.uuid), "title": r.title, "owner": r.owner.name} for r in rows])

    def raw_once(self):
        with connection.cursor() as cursor:
            return self.raw(cursor.cursor)

    def raw(self, cursor):
        cursor.execute(SIMILAR_SQL, self.params)
        return dumps(cursor.fetchone()[0])


CORPUS = Corpus()
ALL = [LessonSearch(CORPUS), SimilarLessons(CORPUS)]
