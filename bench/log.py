"""Benchmarks for the crisis log (hendelseslogg) at 100,000 entries.

One incident of Bergen kommune (the bench user's organisation) is filled once with 100,000
entries of varied Norwegian text built from word lists, written with ``bulk_create`` in
batches of 5,000 (the log is append-only: INSERT is all it allows, and all it needs). Later
runs find it by its title and reuse it; the fill time is printed when it happens.

The benchmarks then compare the portal with the raw SQL that returns the same rows:

* the log's first page (100 entries): the page at ``incidents:log`` (falling back to the
  queryset while the page is not there), and the queryset the page is built on, rendered
  to a list of dicts as JSON, to tell the database and ORM's share from the rendering's;
* Norwegian full-text search across every log the user may see (``websearch`` syntax,
  ranked, top 50), for a narrow and a broad query. ``EXPLAIN ANALYZE`` of the portal's
  query is printed with whether the GIN index on ``search`` was used.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from django.db import connection

ENTRIES = 100_000
BATCH = 5_000
TITLE = "Benchmark: hendelseslogg med 100 000 føringer"
PAGE_SIZE = 100
SEARCH_LIMIT = 50
#: websearch syntax, stemmed ("norwegian"): a narrow query (both words) and a broad one.
QUERIES = ["strømbrudd Laksevåg", "varmestue"]
GIN_INDEX_COLUMN = "search"

# --- realistic text from word lists ----------------------------------------------------

PLACES = [
    "Åsane", "Fana", "Ytrebygda", "Laksevåg", "Fyllingsdalen", "Årstad", "Bergenhus",
    "Arna", "Loddefjord", "Sandviken", "Nesttun", "Paradis", "Minde", "Landås", "Kronstad",
    "Danmarksplass", "Bryggen", "Nordnes", "Møhlenpris", "Sletten", "Haukeland", "Ulset",
    "Hylkje", "Indre Arna", "Ytre Arna", "Garnes", "Flesland", "Kokstad", "Rådal", "Skjold",
]  # fmt: skip
EVENTS = [
    "flom i bekken", "overvann i gaten", "jordskred", "strømbrudd", "brudd på vannledning",
    "brann i bolighus", "trefall over vei", "stengt tunnel", "bortfall av mobilnett",
    "kokevarsel for drikkevann", "ras over fylkesvei", "stormflo", "isgang i elva",
    "lekkasje i høydebasseng", "utslipp av diesel", "smitteutbrudd", "sammenbrudd i IKT",
    "kø av evakuerte", "brudd i fjernvarme", "overløp fra pumpestasjon",
]  # fmt: skip
SUBJECTS = [
    "Kriseledelsen", "Beredskapsvakten", "Brannvesenet", "Politiet", "Sivilforsvaret",
    "Hjemmetjenesten", "Legevakten", "Vann og avløp", "Bymiljøetaten", "Kommunikasjonsstaben",
    "Kommuneoverlegen", "Statsforvaltaren", "NVE", "Statens vegvesen", "BKK",
]  # fmt: skip
ACTIONS = [
    "har satt i verk evakuering av", "har stengt veien ved", "sender mannskaper til",
    "har opprettet evakuerte- og pårørendesenter i", "ber om bistand i",
    "har utplassert strømaggregat ved", "har startet dørbanking i",
    "har varslet innbyggerne i", "har flyttet beboere fra sykehjemmet i",
    "gjennomfører befaring i", "har åpnet varmestue i", "har lagt ut sandsekker i",
    "har tatt vannprøver i", "følger opp sårbare brukere i", "har bedt om ny prognose for",
]  # fmt: skip
FOLLOW_UPS = [
    "Ny vurdering kl. {hh}.{mm}.", "Situasjonsrapport sendes Statsforvaltaren innen kl. {hh}.",
    "Ingen personskader meldt.", "{n} husstander er berørt.", "{n} personer er evakuert.",
    "Sykehjemmet har nødstrøm i {n} timer.", "Vannstanden stiger {n} cm i timen.",
    "Informasjon lagt ut på kommunens nettsider.", "Pressemelding sendt kl. {hh}.{mm}.",
    "Behov for {n} ekstra mannskaper.", "Veien ventes åpnet i morgen tidlig.",
    "Evakueringen er fullført.", "Drikkevannet er trygt.", "Mobilnettet er ustabilt.",
]  # fmt: skip
KINDS = ["decision", "action", "message_in", "message_out", "assessment", "information"]


def _n(number: int) -> str:
    """12 345 (Norwegian digit grouping)."""
    return f"{number:,}".replace(",", " ")


def entry_texts(rng: random.Random):
    """Endless varied entries: (kind, text)."""
    while True:
        place = rng.choice(PLACES)
        sentences = [
            f"{rng.choice(EVENTS).capitalize()} i {place}.",
            f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}.",
        ]
        for follow in rng.sample(FOLLOW_UPS, rng.randint(1, 2)):
            sentences.append(
                follow.format(hh=rng.randint(6, 23), mm=rng.choice(["00", "15", "30", "45"]),
                              n=rng.randint(2, 400))
            )  # fmt: skip
        yield rng.choice(KINDS), " ".join(sentences)


# --- the bench log ---------------------------------------------------------------------


def bench_user():
    """The runner's bench user, emergency manager in Bergen (as in benchmarks.py)."""
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
    return user


def bench_log(user) -> tuple[object, list[str]]:
    """The bench incident with its 100,000 entries (filled now if it is not yet full),
    and notes on what was done."""
    from incidents.log import actions
    from incidents.log.models import Incident, LogEntry
    from networks.structure.models import Organisation
    from portal.templatetags.portal_markdown import render_markdown

    owner = Organisation.objects.get(slug="kommune-4601")
    incident = Incident.objects.filter(owner=owner, title=TITLE).first()
    if incident is None:
        incident = actions.do_create_incident(
            owner=owner,
            acting_user=user,
            title=TITLE,
            type="flood",
            description="Opprettet av bench/run.py for å måle loggsiden og søket.",
            started_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
    have = LogEntry.objects.filter(incident=incident).count()
    if have >= ENTRIES:
        return incident, [f"reused the bench log ({_n(have)} entries; filled on its first run)"]

    rng = random.Random(have)  # noqa: S311 — test data, not secrets
    texts = entry_texts(rng)
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=30 * have)
    began = time.perf_counter()
    for offset in range(have, ENTRIES, BATCH):
        batch = []
        for i in range(offset, min(offset + BATCH, ENTRIES)):
            kind, text = next(texts)
            batch.append(
                LogEntry(
                    incident=incident,
                    organisation=owner,
                    author=user,
                    kind=kind,
                    text=text,
                    text_html=render_markdown(text),  # as do_write_entry stores it
                    occurred_at=start + timedelta(seconds=30 * (i - have)),
                )
            )
        LogEntry.objects.bulk_create(batch)
    filled = time.perf_counter() - began
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_logentry")
    analysed = time.perf_counter() - began
    n = ENTRIES - have
    note = (
        f"filled the bench log: {_n(n)} entries in {filled:.1f} s ({_n(round(n / filled))}/s, "
        f"batches of {_n(BATCH)}), ANALYZE {analysed:.1f} s"
    )
    print(note, file=sys.stderr, flush=True)  # now too: the log can be filled only once
    return incident, [note]


# --- the benchmarks --------------------------------------------------------------------

PAGE_SQL = """
SELECT json_agg(row) FROM (
    SELECT e.uuid, e.kind, e.text, e.occurred_at, e.recorded_at, e.exempt, e.exempt_basis,
           e.correction_type, c.uuid AS corrects,
           trim(u.first_name || ' ' || u.last_name) AS author, o.name AS organisation
    FROM incidents_logentry e
    JOIN portal_user u ON u.id = e.author_id
    JOIN networks_organisation o ON o.id = e.organisation_id
    LEFT JOIN incidents_logentry c ON c.id = e.corrects_id
    WHERE e.incident_id = %s
    ORDER BY e.occurred_at DESC, e.id DESC
    LIMIT %s
) row
"""

#: The matches first (the GIN index), then the owner: PostgreSQL plans the plain join with
#: the owner filter first, which reads every entry of the user's incidents (3× slower).
SEARCH_SQL = """
SELECT json_agg(row) FROM (
    SELECT m.uuid, m.kind, m.text, m.occurred_at, i.uuid AS incident, i.title AS incident_title,
           m.rank
    FROM (
        SELECT e.*, ts_rank(e.search, q) AS rank
        FROM incidents_logentry e, websearch_to_tsquery('norwegian', %(q)s) q
        WHERE e.search @@ q
        OFFSET 0
    ) m
    JOIN incidents_incident i ON i.id = m.incident_id
    WHERE i.owner_id = ANY(%(orgs)s)
    ORDER BY m.rank DESC, m.occurred_at DESC, m.id DESC
    LIMIT %(n)s
) row
"""


def _dumps(value):
    return json.dumps(value, default=str)


class LogBenchmark:
    """Same interface as :class:`bench.benchmarks.Benchmark` (name, repeat, goal, setup,
    portal, raw), plus ``notes`` the runner prints under the table."""

    goal = None
    repeat = 30

    def __init__(self):
        self.notes: list[str] = []

    def prepare(self):
        self.user = bench_user()
        self.incident, notes = bench_log(self.user)
        if not _FILL_REPORTED:
            self.notes += notes
            _FILL_REPORTED.append(True)

    def fresh_user(self):
        """The user as a request brings it: the access layer's facts not yet cached."""
        from portal.access import forget_viewer

        forget_viewer(self.user)
        return self.user


_FILL_REPORTED: list[bool] = []


class LogPage(LogBenchmark):
    """The log's first page. ``page=True``: the page itself (``incidents:log``), falling
    back to the queryset while the page is not there; ``page=False``: the queryset, to
    tell the database and ORM's share from the rendering's."""

    def __init__(self, *, page: bool):
        super().__init__()
        self.page = page
        self.url = None
        self.name = f"log {'page' if page else 'queryset'}, first {PAGE_SIZE} of 100 000"

    def setup(self):
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        self.prepare()
        if self.page:
            try:
                url = reverse("incidents:log", args=[self.incident.uuid])
            except NoReverseMatch:
                url = None
                self.notes.append("the route incidents:log does not exist yet")
            if url:
                self.client = Client(raise_request_exception=False)
                self.client.force_login(self.user)
                response = self.client.get(url)
                if response.status_code == 200:
                    newest = self._raw_rows()[0]["uuid"]
                    assert newest in response.content.decode(), "newest entry not on the page"
                    self.url = url
                    self.notes.append(f"timed the page {url}")
                    return
                self.notes.append(f"the page {url} answered {response.status_code}")
            self.name = f"log queryset, first {PAGE_SIZE} of 100 000"
            self.notes.append("timed the queryset the page uses instead")
        ours = json.loads(self.portal())
        raw = self._raw_rows()
        assert [r["uuid"] for r in ours] == [r["uuid"] for r in raw], "rows differ"
        assert len(ours) == PAGE_SIZE

    def portal(self):
        if self.url:
            return self.client.get(self.url).content
        from incidents.log.models import LogEntry

        entries = (
            LogEntry.objects.visible_to(self.fresh_user())
            .filter(incident=self.incident)
            .select_related("author", "organisation", "corrects")
            .order_by("-occurred_at", "-id")[:PAGE_SIZE]
        )
        return _dumps(
            [
                {
                    "uuid": str(e.uuid),
                    "kind": e.kind,
                    "text": e.text,
                    "occurred_at": e.occurred_at.isoformat(),
                    "recorded_at": e.recorded_at.isoformat(),
                    "exempt": e.exempt,
                    "exempt_basis": e.exempt_basis,
                    "correction_type": e.correction_type,
                    "corrects": str(e.corrects.uuid) if e.corrects else None,
                    "author": e.author.get_full_name(),
                    "organisation": e.organisation.name,
                }
                for e in entries
            ]
        )

    def _raw_rows(self):
        with connection.cursor() as cursor:
            cursor.execute(PAGE_SQL, [self.incident.pk, PAGE_SIZE])
            return cursor.fetchone()[0]

    def raw(self, cursor):
        cursor.execute(PAGE_SQL, [self.incident.pk, PAGE_SIZE])
        return _dumps(cursor.fetchone()[0])


class LogSearch(LogBenchmark):
    """Norwegian full-text search across every log the user may see, ranked, top 50."""

    def __init__(self, query: str):
        super().__init__()
        self.query = query
        self.name = f"log search «{query}»"

    def setup(self):
        from portal.access import viewer_for

        self.prepare()
        self.params = {
            "q": self.query,
            "orgs": sorted(viewer_for(self.fresh_user()).org_ids),
            "n": SEARCH_LIMIT,
        }
        ours = json.loads(self.portal())
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SQL, self.params)
            raw = cursor.fetchone()[0]
        assert [r["uuid"] for r in ours] == [r["uuid"] for r in raw], "rows differ"
        assert len(ours) == SEARCH_LIMIT
        self.notes += self.explain()

    def queryset(self):
        from django.contrib.postgres.search import SearchQuery, SearchRank
        from django.db.models import F

        from incidents.log.models import LogEntry

        query = SearchQuery(self.query, config="norwegian", search_type="websearch")
        return (
            LogEntry.objects.visible_to(self.fresh_user())
            .filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .select_related("incident")
            .order_by("-rank", "-occurred_at", "-id")[:SEARCH_LIMIT]
        )

    def portal(self):
        return _dumps(
            [
                {
                    "uuid": str(e.uuid),
                    "kind": e.kind,
                    "text": e.text,
                    "occurred_at": e.occurred_at.isoformat(),
                    "incident": str(e.incident.uuid),
                    "incident_title": e.incident.title,
                    "rank": e.rank,
                }
                for e in self.queryset()
            ]
        )

    def raw(self, cursor):
        cursor.execute(SEARCH_SQL, self.params)
        return _dumps(cursor.fetchone()[0])

    def explain(self) -> list[str]:
        from incidents.log.models import LogEntry

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM incidents_logentry "
                "WHERE search @@ websearch_to_tsquery('norwegian', %s)",
                [self.query],
            )
            matches = cursor.fetchone()[0]
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [LogEntry._meta.db_table, f"%USING gin ({GIN_INDEX_COLUMN})%"],
            )
            gin = [row[0] for row in cursor.fetchall()]
        plan = self.queryset().explain(analyze=True)
        used = [name for name in gin if name in plan]
        verdict = f"USED ({', '.join(used)})" if used else "NOT used"
        lines = [
            f"{_n(matches)} of {_n(LogEntry.objects.count())} entries match «{self.query}»; "
            f"the GIN index on search is {verdict} (EXPLAIN ANALYZE of the portal's query, "
            "scans and time):"
        ]
        lines += [
            f"    {line.strip()}"
            for line in plan.splitlines()
            if ("Scan" in line and "never executed" not in line) or "Execution Time" in line
        ]
        return lines


ALL = [LogPage(page=True), LogPage(page=False), *(LogSearch(q) for q in QUERIES)]
