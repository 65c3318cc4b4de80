"""Benchmarks for situation reporting at national scale: a national year.

The year is DSB's general municipal situation report issued to every municipality (357)
once a day for 365 days: about 130,000 submissions with realistic answers (nine sector
statuses, mostly green, some yellow, a few red; numbers; choices), one revision each, a
published national picture per round with who saw it, and a thousand incidents. It is
built in PostgreSQL with ``INSERT … SELECT`` over ``generate_series`` (the rounds, the
compilations and the incidents, a few hundred rows each, with ``bulk_create``), not with
130,000 ORM saves.

Everything happens in a database of its own (:data:`DB_NAME`, created with Django's test
database machinery, migrated and loaded with the structure and the report forms) and
dropped at the end (:func:`cleanup`), so the development database is never touched.

Then, each against the hand-written SQL that returns the same facts:

* **national dashboard** — ``reporting.dashboards.queries.dashboard_rows(round_)`` for one round
  (357 rows: state, every sector's status and comment, the key numbers, acknowledged,
  last seen) against one SQL query building the same rows as JSON;
* **national aggregates** — ``reporting.compilation.compute_aggregates(round_)`` (the
  published picture: counts, number sums, status and choice distributions, who needs
  help, per region) against SQL computing the same aggregates;
* **KS yearly summary** — ``reporting.exports.summary.ks_summary(user=…, start, end)`` over the
  year (rounds with their counts, totals, statuses per sector, incidents per type)
  against SQL computing the same.

A benchmark whose function does not exist (yet) is reported as such in the notes.
Sizes: :data:`FULL` (357 × 365) by default, :data:`QUICK` with ``--quick``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pghistory
from django.db import connection

from bench.owndb import OwnDatabase, dumps

FULL = (357, 365)
QUICK = (357, 14)
SIZE = FULL
DB_NAME = "bench_samvirke_reporting"
START = date(2025, 1, 1)  # a past year: every deadline has passed
TITLE_PREFIX = "Bench: situasjonsrapport"
ROUNDS_PER_INSERT = 4
FORM = ("dsb", "Situasjonsrapport fra kommunen")

#: The sector status fields of the form and how the random draw maps to a status.
SECTORS = [
    "helse_status", "vann_status", "kraft_ekom_status", "ikt_status", "transport_status",
    "evakuering_status", "informasjon_status", "bemanning_status", "samlet_status",
]  # fmt: skip
COMMENTS = {
    "yellow": "Redusert kapasitet; tiltak iverksatt.",
    "red": "Kritisk: tjenesten kan ikke leveres som normalt.",
}


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


# --- the database of its own -----------------------------------------------------------

_STATE = {"year": None}


DATABASE = OwnDatabase(DB_NAME, ("load_structure", "load_report_forms"))


def enter_own_database(verbosity=0) -> list[str]:
    return DATABASE.enter(verbosity)


def cleanup():
    """Drop the database of its own and point the connection back (idempotent)."""
    DATABASE.cleanup()
    _STATE["year"] = None


# --- the year --------------------------------------------------------------------------


def bench_user():
    """A national analyst at DSB (issues the rounds, may make KS summaries)."""
    from django.contrib.auth import get_user_model

    from networks.structure.models import Organisation
    from portal.models import RoleAssignment

    user, _ = get_user_model().objects.get_or_create(
        username="bench-reporting", defaults={"email": "bench-reporting@bench.samvirke.invalid"}
    )
    RoleAssignment.objects.get_or_create(
        user=user, organisation=Organisation.objects.get(slug="dsb"), role="national_analyst"
    )
    return user


def _status_sql(column: str) -> str:
    return (
        f"CASE WHEN {column} < 0.86 THEN 'green' WHEN {column} < 0.975 THEN 'yellow' ELSE 'red' END"
    )


def _answers_sql() -> str:
    """The answers of one submission as jsonb, from the random columns s0 … s8, u1, u2
    of the row (the form's required fields always, the optional ones often)."""
    parts = []
    for i, key in enumerate(SECTORS):
        status = _status_sql(f"s{i}")
        comment = (
            f"CASE WHEN s{i} < 0.86 THEN '' WHEN s{i} < 0.975 THEN '{COMMENTS['yellow']}' "
            f"ELSE '{COMMENTS['red']}' END"
        )
        parts.append(f"'{key}', jsonb_build_object('status', {status}, 'comment', {comment})")
    parts += [
        "'situasjon_tidspunkt', to_char((deadline - interval '90 minutes') AT TIME ZONE 'UTC', "
        '\'YYYY-MM-DD"T"HH24:MI:SS"Z"\')',
        "'kriseledelse', (ARRAY['nei', 'beredskap', 'ja'])[1 + (u1 * 2.2)::int]",
        "'situasjonsbeskrivelse', CASE WHEN s8 < 0.86 THEN 'Normal drift i alle tjenester.' "
        "ELSE 'Uvær med strømbrudd og stengte veier; kriseledelsen følger situasjonen.' END",
        "'helse_evakuerte_institusjoner', CASE WHEN s0 >= 0.975 THEN 1 ELSE 0 END",
        "'vann_berorte', CASE WHEN s1 >= 0.86 THEN (u2 * 800)::int ELSE 0 END",
        "'vann_kokevarsel', CASE WHEN s1 >= 0.86 THEN 'ja' ELSE 'nei' END",
        "'strom_uten', CASE WHEN s2 >= 0.86 THEN (u1 * 2500)::int ELSE 0 END",
        "'ekom_utfall', CASE WHEN s2 >= 0.975 THEN jsonb_build_array('mobil', 'fast') "
        "ELSE '[]'::jsonb END",
        "'evakuerte', CASE WHEN s5 >= 0.86 THEN (u2 * 120)::int ELSE 0 END",
        "'innkvartert', CASE WHEN s5 >= 0.86 THEN (u2 * 40)::int ELSE 0 END",
        "'informasjon_kanaler', jsonb_build_array('nettside', 'sosiale_medier')",
        "'bemanning_fravaer', round((2 + u1 * 10)::numeric, 1)::text",
        "'bistand_behov', CASE WHEN s8 >= 0.975 THEN 'ja' WHEN s8 >= 0.86 THEN 'kan_oppsta' "
        "ELSE 'nei' END",
        "'utvikling', (ARRAY['bedring', 'uendret', 'forverring'])[1 + (u2 * 2.2)::int]",
        "'kontaktperson', 'Beredskapskoordinator, tlf. 400 00 000'",
    ]
    return "jsonb_build_object(" + ", ".join(parts) + ")"


SUBMISSIONS_SQL = f"""
INSERT INTO reporting_submission (uuid, round_id, municipality_id, status, answers, version,
    submitted_at, is_late, submitted_by_id, updated_at, acknowledged_at, acknowledged_by_id)
SELECT gen_random_uuid(), round_id, org_id,
       CASE WHEN fate < 0.96 THEN 'submitted' ELSE 'draft' END,
       CASE WHEN fate < 0.96 THEN {_answers_sql()} ELSE '{{}}'::jsonb END,
       CASE WHEN fate < 0.96 THEN 2 ELSE 1 END,
       CASE WHEN fate < 0.90 THEN deadline - minutes * interval '1 minute'
            WHEN fate < 0.96 THEN deadline + minutes * interval '1 minute' END,
       fate >= 0.90 AND fate < 0.96,
       CASE WHEN fate < 0.96 THEN %(user)s END,
       deadline,
       CASE WHEN fate < 0.5 THEN deadline + interval '3 hours' END,
       CASE WHEN fate < 0.5 THEN %(user)s END
FROM (
    SELECT r.id AS round_id, r.deadline, m.org_id, random() AS fate,
           1 + floor(random() * 240) AS minutes,
           random() AS s0, random() AS s1, random() AS s2, random() AS s3, random() AS s4,
           random() AS s5, random() AS s6, random() AS s7, random() AS s8,
           random() AS u1, random() AS u2
    FROM reporting_reportinground r, unnest(%(orgs)s::bigint[]) AS m(org_id)
    WHERE r.id = ANY(%(rounds)s)
) draw
"""  # noqa: S608 — only our own constant SQL is interpolated

RECIPIENTS_SQL = """
INSERT INTO {table} (reportinground_id, organisation_id)
SELECT r, o FROM unnest(%(rounds)s::bigint[]) r, unnest(%(orgs)s::bigint[]) o
"""

REVISIONS_SQL = """
INSERT INTO reporting_submissionrevision (submission_id, number, answers, submitted_at,
    submitted_by_id, is_late)
SELECT id, 1, answers, submitted_at, submitted_by_id, is_late
FROM reporting_submission WHERE round_id = ANY(%(rounds)s) AND status = 'submitted'
"""

SEEN_SQL = """
INSERT INTO reporting_pictureseen (compilation_id, organisation_id, first_seen_at,
    last_seen_at, last_seen_by_id)
SELECT c.id, m.org_id, c.published_at + interval '20 minutes',
       c.published_at + (20 + floor(random() * 600)) * interval '1 minute', NULL
FROM reporting_compilation c, unnest(%(orgs)s::bigint[]) AS m(org_id)
WHERE c.id = ANY(%(compilations)s) AND random() < 0.6
"""


class Year:
    """The national year: built once (in the database of its own unless ``own_database``
    is False, as in the smoke test), shared by the benchmarks."""

    def __init__(self, *, municipalities=None, days=None, own_database=True):
        self.size = (municipalities, days)
        self.own_database = own_database
        self.notes: list[str] = []
        self.built = False

    def ensure(self):
        if self.built:
            return self
        municipalities, days = self.size if self.size != (None, None) else SIZE
        if self.own_database:
            self.notes += enter_own_database()
        self.build(municipalities, days)
        self.built = True
        return self

    def build(self, municipalities: int, days: int):
        from networks.structure.models import Municipality, Organisation
        from reporting.models import Compilation, ReportForm, ReportFormVersion, ReportingRound

        began = time.perf_counter()
        self.user = bench_user()
        dsb = Organisation.objects.get(slug=FORM[0])
        form = ReportForm.objects.get(owner=dsb, title=FORM[1])
        version = ReportFormVersion.objects.filter(form=form).order_by("-number").first()
        orgs = list(
            Municipality.objects.order_by("number").values_list("organisation_id", flat=True)[
                :municipalities
            ]
        )
        oslo_noon = timedelta(hours=11)  # 12:00 in Norway in winter (close enough all year)
        rounds = ReportingRound.objects.bulk_create(
            ReportingRound(
                form_version=version,
                issuer=dsb,
                track=form.track,
                kind=form.kind,
                title=f"{TITLE_PREFIX} {START + timedelta(days=d):%d.%m.%Y}",
                deadline=datetime.combine(START + timedelta(days=d), datetime.min.time(), UTC)
                + oslo_noon,
                opened_at=datetime.combine(START + timedelta(days=d), datetime.min.time(), UTC)
                + timedelta(hours=7),
                closed_at=datetime.combine(START + timedelta(days=d), datetime.min.time(), UTC)
                + timedelta(hours=17),
                closed_by=self.user,
                # A few exercise days: the KS summary leaves them out.
                is_exercise=d % 60 == 30,
                issued_by=self.user,
            )
            for d in range(days)
        )
        round_ids = [r.pk for r in rounds]
        params = {"rounds": round_ids, "orgs": orgs, "user": self.user.pk}
        through = ReportingRound.recipients.through._meta.db_table
        submissions = 0
        # In a history context, as every action writes, and a few rounds per statement:
        # the pghistory insert trigger's cost grows faster than linearly with the rows of
        # one statement (130,000 in one INSERT did not finish in 10 minutes; see the notes).
        with pghistory.context(bench="reporting-year"), connection.cursor() as cursor:
            cursor.execute(RECIPIENTS_SQL.format(table=through), params)
            for i in range(0, len(round_ids), ROUNDS_PER_INSERT):
                batch = dict(params, rounds=round_ids[i : i + ROUNDS_PER_INSERT])
                cursor.execute(SUBMISSIONS_SQL, batch)
                submissions += cursor.rowcount
            cursor.execute(REVISIONS_SQL, params)
        compilations = Compilation.objects.bulk_create(
            Compilation(
                round=r,
                level="national",
                author_org=dsb,
                assessment="Rolig døgn; enkelte kommuner melder gult for kraft og transport.",
                aggregates={"counts": {}},
                version=2,
                published_at=r.deadline + timedelta(hours=3),
                published_by=self.user,
            )
            for r in rounds
        )
        with connection.cursor() as cursor:
            cursor.execute(SEEN_SQL, {"compilations": [c.pk for c in compilations], "orgs": orgs})
        self.incidents = self.build_incidents(orgs, days)
        with connection.cursor() as cursor:
            for table in (
                "reporting_submission",
                "reporting_submissionrevision",
                "reporting_pictureseen",
                "reporting_reportinground",
                through,
                "incidents_incident",
            ):
                cursor.execute(f"ANALYZE {table}")
        built = time.perf_counter() - began
        self.rounds = rounds
        self.round = ReportingRound.objects.select_related("form_version").get(pk=rounds[-1].pk)
        self.start, self.end = START, START + timedelta(days=days - 1)
        self.notes.append(
            f"built the year: {len(orgs)} municipalities × {days} days = {_n(submissions)} "
            f"submissions (with revisions, {_n(len(compilations))} published pictures, who "
            f"saw them, {_n(self.incidents)} incidents) in {built:.1f} s"
        )
        print(self.notes[-1], file=sys.stderr, flush=True)

    def build_incidents(self, orgs, days) -> int:
        """About three incidents per municipality in the year (a tenth exercises)."""
        from incidents.log.models import Incident, IncidentType

        rng = random.Random(2025)  # noqa: S311 — test data
        types = [t for t, _ in IncidentType.choices]
        start = datetime.combine(START, datetime.min.time(), UTC)
        incidents = [
            Incident(
                title="Bench-hendelse",
                type=rng.choice(types),
                owner_id=org,
                started_at=start + timedelta(minutes=rng.randint(0, days * 24 * 60 - 1)),
                is_exercise=rng.random() < 0.1,
                created_by=self.user,
            )
            for org in orgs
            for _ in range(rng.randint(1, 5))
        ]
        Incident.objects.bulk_create(incidents, batch_size=2000)
        return len(incidents)


# --- the benchmarks ----------------------------------------------------------------------


class ReportingBenchmark:
    """Same interface as :class:`bench.benchmarks.Benchmark` (name, repeat, goal, setup,
    portal, raw) plus ``notes``."""

    goal = None
    repeat = 15

    def __init__(self, year: Year):
        self.year = year
        self.notes: list[str] = []
        self.available = True

    def setup(self):
        self.year.ensure()
        if self.year.notes:
            self.notes += self.year.notes
            self.year.notes = []


def dashboard_sql(status_keys, number_keys) -> str:
    """One query building the dashboard's rows as JSON: each submission with its
    municipality and region, the state, the sector statuses and key numbers picked out of
    the answers, and when the municipality last saw a published picture of the round.
    Keys are the form's own, checked to be identifiers."""
    import re

    for key in (*status_keys, *number_keys):
        assert re.fullmatch(r"[a-z0-9_]+", key), key
    statuses = ", ".join(f"'{k}', s.answers -> '{k}'" for k in status_keys)
    numbers = ", ".join(f"'{k}', s.answers -> '{k}'" for k in number_keys)
    return f"""
SELECT json_agg(row ORDER BY row.name, row.pk) FROM (
    SELECT s.id AS pk, s.uuid, s.status, s.is_late, s.submitted_at, s.acknowledged_at,
           o.uuid AS organisation_uuid, o.name, m.number, m.label, office.slug AS region,
           CASE WHEN s.status = 'submitted' THEN
                CASE WHEN s.is_late THEN 'late' ELSE 'submitted' END
                WHEN %(deadline_passed)s THEN 'missing' ELSE 'awaiting' END AS state,
           CASE WHEN s.status = 'submitted' THEN jsonb_build_object({statuses}) END AS statuses,
           CASE WHEN s.status = 'submitted' THEN jsonb_build_object({numbers}) END AS numbers,
           seen.last_seen_at
    FROM reporting_submission s
    JOIN networks_organisation o ON o.id = s.municipality_id
    LEFT JOIN networks_municipality m ON m.organisation_id = o.id
    LEFT JOIN networks_office office ON office.id = o.region_id
    LEFT JOIN (
        SELECT ps.organisation_id, max(ps.last_seen_at) AS last_seen_at
        FROM reporting_pictureseen ps
        JOIN reporting_compilation c ON c.id = ps.compilation_id
        WHERE c.round_id = %(round)s AND c.published_at IS NOT NULL
        GROUP BY ps.organisation_id
    ) seen ON seen.organisation_id = s.municipality_id
    WHERE s.round_id = %(round)s
) row
"""  # noqa: S608 — keys are checked identifiers of our own form


class NationalDashboard(ReportingBenchmark):
    """``dashboard_rows(round_)`` for one round of the year, every municipality."""

    name = "national dashboard (1 round, 357 rows)"

    def setup(self):
        super().setup()
        try:
            from reporting.dashboards.queries import dashboard_columns, dashboard_rows
        except ImportError:
            self.available = False
            self.notes.append("reporting.dashboards.queries.dashboard_rows does not exist yet")
            return
        self.dashboard_rows = dashboard_rows
        round_ = self.year.round
        statuses, numbers = dashboard_columns(round_)
        self.status_keys = [c.key for c in statuses]
        self.sql = dashboard_sql(self.status_keys, [c.key for c in numbers])
        self.params = {"round": round_.pk, "deadline_passed": True}
        self.name = f"national dashboard (1 round, {round_.recipients.count()} rows)"
        ours = self.dashboard_rows(round_)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            raw = cursor.fetchone()[0]
        assert [str(r["uuid"]) for r in ours] == [r["uuid"] for r in raw], "rows differ"
        for mine, theirs in zip(ours, raw, strict=True):
            assert mine["state"] == theirs["state"], (mine["state"], theirs["state"])
            assert [s["status"] for s in mine["statuses"]] == [
                ((theirs["statuses"] or {}).get(k) or {}).get("status") or ""
                for k in self.status_keys
            ]
            assert (mine["last_seen_at"] is None) == (theirs["last_seen_at"] is None)

    def portal(self):
        return dumps(self.dashboard_rows(self.year.round))

    def raw(self, cursor):
        cursor.execute(self.sql, self.params)
        return dumps(cursor.fetchone()[0])


def aggregates_sql(definition) -> str:
    """The SQL computing what ``compute_aggregates`` computes, for one form definition
    (field keys and labels are the form's own, passed as parameters where they are
    values; keys are checked to be identifiers before they appear in the SQL)."""
    import re

    from reporting.validation import (
        CHOICE,
        DECIMAL,
        INTEGER,
        MULTIPLE_CHOICE,
        SECTOR_STATUS,
        iter_fields,
    )

    fields = list(iter_fields(definition))
    for spec in fields:
        assert re.fullmatch(r"[a-z0-9_]+", spec["key"]), spec["key"]
    numbers = [f["key"] for f in fields if f["type"] in (INTEGER, DECIMAL)]
    statuses = [f["key"] for f in fields if f["type"] == SECTOR_STATUS]
    choices = [f["key"] for f in fields if f["type"] == CHOICE]
    multiple = [f["key"] for f in fields if f["type"] == MULTIPLE_CHOICE]
    needs = [f"CASE WHEN answers -> '{k}' ->> 'status' = 'red' THEN '{k}' END" for k in statuses]
    needs += [f"CASE WHEN answers ->> '{k}' = 'ja' THEN '{k}' END" for k in choices if "behov" in k]
    number_parts = ", ".join(
        f"'{k}', (SELECT json_build_object('count', count(v), 'sum', sum(v), 'min', min(v), "
        f"'max', max(v), 'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY v)) "
        f"FROM (SELECT (answers ->> '{k}')::numeric AS v FROM sub) x)"
        for k in numbers
    )
    status_parts = ", ".join(
        f"'{k}', (SELECT json_build_object("
        f"'green', count(*) FILTER (WHERE answers -> '{k}' ->> 'status' = 'green'), "
        f"'yellow', count(*) FILTER (WHERE answers -> '{k}' ->> 'status' = 'yellow'), "
        f"'red', count(*) FILTER (WHERE answers -> '{k}' ->> 'status' = 'red'), "
        f"'none', count(*) FILTER (WHERE answers -> '{k}' ->> 'status' IS NULL)) FROM sub)"
        for k in statuses
    )
    choice_parts = ", ".join(
        [
            f"'{k}', (SELECT json_object_agg(v, n) FROM (SELECT answers ->> '{k}' AS v, "
            f"count(*) AS n FROM sub WHERE answers ? '{k}' GROUP BY 1) x)"
            for k in choices
        ]
        + [
            f"'{k}', (SELECT json_object_agg(v, n) FROM (SELECT v, count(*) AS n FROM sub, "
            f"jsonb_array_elements_text(CASE WHEN jsonb_typeof(answers -> '{k}') = 'array' "
            f"THEN answers -> '{k}' ELSE '[]' END) v GROUP BY 1) x)"
            for k in multiple
        ]
    )
    return f"""
WITH rows AS (
    SELECT s.status, s.is_late, s.answers, o.name, o.uuid, o.region_id
    FROM reporting_submission s JOIN networks_organisation o ON o.id = s.municipality_id
    WHERE s.round_id = %(round)s
), sub AS (SELECT * FROM rows WHERE status = 'submitted')
SELECT json_build_object(
    'counts', (SELECT json_build_object(
        'recipients', count(*),
        'submitted', count(*) FILTER (WHERE status = 'submitted'),
        'late', count(*) FILTER (WHERE status = 'submitted' AND is_late),
        'missing', count(*) FILTER (WHERE status <> 'submitted' AND %(passed)s),
        'awaiting', count(*) FILTER (WHERE status <> 'submitted' AND NOT %(passed)s))
        FROM rows),
    'numbers', json_build_object({number_parts}),
    'statuses', json_build_object({status_parts}),
    'choices', json_build_object({choice_parts}),
    'needs_help', (SELECT json_agg(json_build_object('municipality', name, 'uuid', uuid,
        'reasons', reasons) ORDER BY name) FROM (
            SELECT name, uuid, array_remove(ARRAY[{", ".join(needs)}], NULL) AS reasons
            FROM sub) x WHERE cardinality(reasons) > 0),
    'regions', (SELECT json_agg(r ORDER BY r.name) FROM (
        SELECT office.slug AS office, office.name AS name, count(*) AS recipients,
               count(*) FILTER (WHERE status = 'submitted') AS submitted,
               count(*) FILTER (WHERE status = 'submitted' AND is_late) AS late,
               count(*) FILTER (WHERE status <> 'submitted' AND %(passed)s) AS missing,
               count(*) FILTER (WHERE status <> 'submitted' AND NOT %(passed)s) AS awaiting
        FROM rows JOIN networks_office office ON office.id = rows.region_id
        GROUP BY office.id) r)
)
"""  # noqa: S608 — keys are checked identifiers of our own form


class NationalAggregates(ReportingBenchmark):
    """``compute_aggregates(round_)``: the national picture of one round."""

    name = "national aggregates (1 round, 357 mun.)"

    def setup(self):
        from reporting.compilation import compute_aggregates

        super().setup()
        self.compute_aggregates = compute_aggregates
        round_ = self.year.round
        self.sql = aggregates_sql(round_.form_version.definition)
        self.params = {"round": round_.pk, "passed": True}
        self.name = f"national aggregates (1 round, {round_.recipients.count()} mun.)"
        ours = json.loads(self.portal())
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            raw = cursor.fetchone()[0]
        assert ours["counts"] == raw["counts"], (ours["counts"], raw["counts"])
        for key, value in ours["statuses"].items():
            assert {k: value[k] for k in ("green", "yellow", "red", "none")} == raw["statuses"][
                key
            ], key
        for key, value in ours["numbers"].items():
            assert value["count"] == raw["numbers"][key]["count"], key
            if value["sum"] is not None:
                assert float(value["sum"]) == float(raw["numbers"][key]["sum"]), key
        assert len(ours["needs_help"]) == len(raw["needs_help"] or [])

    def portal(self):
        return dumps(self.compute_aggregates(self.year.round))

    def raw(self, cursor):
        cursor.execute(self.sql, self.params)
        return dumps(cursor.fetchone()[0])


KS_SQL = """
WITH subs AS (
    SELECT s.round_id, s.status, s.is_late, s.answers, r.deadline
    FROM reporting_submission s
    JOIN reporting_reportinground r ON r.id = s.round_id
    LEFT JOIN incidents_crisisframe f ON f.id = r.frame_id
    JOIN networks_organisation o ON o.id = s.municipality_id
    WHERE r.opened_at >= %(lower)s AND r.opened_at < %(upper)s AND o.kind = 'municipality'
      AND NOT r.is_exercise AND NOT coalesce(f.is_exercise, false)
), per_round AS (
    SELECT round_id, count(*) AS recipients,
           count(*) FILTER (WHERE status = 'submitted') AS submitted,
           count(*) FILTER (WHERE status = 'submitted' AND is_late) AS late,
           count(*) FILTER (WHERE status <> 'submitted' AND deadline < %(now)s) AS missing,
           count(*) FILTER (WHERE status <> 'submitted' AND deadline >= %(now)s) AS awaiting
    FROM subs GROUP BY round_id
)
SELECT json_build_object(
    'rounds', (SELECT json_agg(x ORDER BY x.opened_at, x.id) FROM (
        SELECT r.id, r.uuid, r.title, i.name AS issuer, r.opened_at, r.deadline,
               p.recipients, p.submitted, p.late, p.missing, p.awaiting,
               round(p.submitted::numeric / nullif(p.recipients, 0), 4) AS submission_rate
        FROM per_round p
        JOIN reporting_reportinground r ON r.id = p.round_id
        JOIN networks_organisation i ON i.id = r.issuer_id) x),
    'totals', (SELECT json_build_object('rounds', count(*), 'recipients', sum(recipients),
        'submitted', sum(submitted), 'late', sum(late), 'missing', sum(missing),
        'awaiting', sum(awaiting)) FROM per_round),
    'sectors', (SELECT json_agg(y) FROM (
        SELECT a.key, a.value ->> 'status' AS status, count(*) AS n
        FROM subs s, jsonb_each(s.answers) a
        WHERE s.status = 'submitted' AND jsonb_typeof(a.value) = 'object' AND a.value ? 'status'
        GROUP BY 1, 2) y),
    'incidents', (SELECT json_agg(z ORDER BY z.n DESC, z.type) FROM (
        SELECT i.type, count(*) AS n
        FROM incidents_incident i
        JOIN networks_organisation o ON o.id = i.owner_id
        LEFT JOIN incidents_crisisframe f ON f.id = i.frame_id
        WHERE i.started_at >= %(lower)s AND i.started_at < %(upper)s
          AND o.kind = 'municipality' AND NOT i.is_exercise
          AND NOT coalesce(f.is_exercise, false)
        GROUP BY i.type) z)
)
"""


class KsYearlySummary(ReportingBenchmark):
    """``ks_summary(user=…, start, end)`` over the year, all municipalities."""

    name = "KS yearly summary (all municipalities)"
    repeat = 7

    def setup(self):
        super().setup()
        try:
            from portal.exports.times import period_bounds
            from reporting.exports.summary import ks_summary
        except ImportError:
            self.available = False
            self.notes.append("reporting.exports.summary.ks_summary does not exist yet")
            return
        from django.utils import timezone

        self.ks_summary = ks_summary
        year = self.year
        days = (year.end - year.start).days + 1
        self.name = f"KS yearly summary ({days} rounds, all mun.)"
        lower, upper = period_bounds(year.start, year.end)
        self.params = {"lower": lower, "upper": upper, "now": timezone.now()}
        ours = json.loads(self.portal())
        with connection.cursor() as cursor:
            cursor.execute(KS_SQL, self.params)
            raw = cursor.fetchone()[0]
        totals = ours["totals"]
        for key in ("rounds", "recipients", "submitted", "late", "missing", "awaiting"):
            assert totals[key] == (raw["totals"][key] or 0), (key, totals[key], raw["totals"])
        statuses = {}
        for row in raw["sectors"] or []:
            if row["status"] in ("green", "yellow", "red"):
                statuses[(row["key"], row["status"])] = row["n"]
        for sector in ours["sectors"]:
            for status in ("green", "yellow", "red"):
                assert sector[status] == statuses.get((sector["key"], status), 0), sector
        assert sum(i["count"] for i in ours["incidents"]) == sum(
            z["n"] for z in raw["incidents"] or []
        )

    def portal(self):
        return dumps(self.ks_summary(user=self.year.user, start=self.year.start, end=self.year.end))

    def raw(self, cursor):
        cursor.execute(KS_SQL, self.params)
        return dumps(cursor.fetchone()[0])


YEAR = Year()
ALL = [NationalDashboard(YEAR), NationalAggregates(YEAR), KsYearlySummary(YEAR)]
