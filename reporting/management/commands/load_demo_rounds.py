"""Load demo reporting rounds on top of the demo data (run ``load_structure``,
``load_demo``, ``load_demo_incidents`` and ``load_report_forms`` first).

What it adds (texts in :mod:`reporting.demo_data`):

* **Covid-19, 19 January 2022** — Helsedirektoratet's health form issued by Helsedirektoratet
  through all ten offices to every municipality (357), in the Covid-19 crisis frame, due
  at 12:00. Most municipalities submit on time, some late, a few not at all; numbers
  scale with each municipality's population, sector statuses are mostly green, some
  yellow, a few red (those are the municipalities needing help). Statsforvaltaren i
  Vestland, Statsforvalteren i Rogaland and Statsforvalteren i Østfold, Buskerud, Oslo
  og Akershus publish their regional compilations and forward them; Helsedirektoratet
  publishes the national one; the round is closed.
* **Ekstremværet Hans, 9 August 2023** — the general municipal situation report (DSB's
  form, preparedness track) issued by Statsforvalteren i Østfold, Buskerud, Oslo og
  Akershus to its region in the "Ekstremværet Hans" frame: flood and landslides in
  Drammen, Ringerike, Hole, Modum and the Hallingdal and Numedal valleys, preparations
  along Glomma; some late, a few missing; the regional compilation published and
  forwarded, a comment and acknowledgement for Drammen; the round is closed.
* **An open round** — DSB's situation report on wind and heavy rain, issued by DSB to
  the regions of the demo municipalities (Vestland, Rogaland, Østfold/Buskerud/Oslo/
  Akershus, Trøndelag) with the deadline two days ahead; about a third of the region
  has answered, the demo municipalities have not, so a demo user can fill one in.
* **A daily series** — Covid-19 in Vestland every morning 20–26 January 2022, one
  schedule's seven rounds, each day's picture published (:mod:`reporting.demo_series`):
  the trend page shows Bergen against the region.

Every demo municipal account thus has an open round and at least one published picture
with its own answers beside the region's.

**How it is written.** Through the actions only (``do_issue_round``, ``do_save_draft``,
``do_submit``, ``do_acknowledge``, ``do_comment``, ``do_start_compilation``,
``do_save_assessment``, ``do_publish_compilation``, ``do_forward_compilation``,
``do_close_round``, ``record_seen``), each by the account that may do it. The past rounds
are replayed on a clock set to the times they happened (``django.utils.timezone.now`` is
patched for the command): the actions themselves decide that a submission after the
deadline is late, and the rounds, revisions and compilations carry their historical
times. Database-side times (the pghistory events) record when the demo was loaded.

The municipalities without a demo account submit through one reporter each
(``demo-rapportor-<kommunenummer>``, emergency manager of that municipality, no usable
password). They are active only while they submit and open the published picture, so
they never get notifications and cannot log in.

Idempotent: a round is matched on (issuer, title); an existing round is left as it is
(rounds are worked on in the portal once they exist). A second run writes nothing.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from incidents.log.models import CrisisFrame
from networks.structure.models import Municipality, Office, Organisation
from portal.models import RoleAssignment, User
from portal.roles import REPORT_WRITER_ROLES, Role
from reporting import actions
from reporting import demo_data as text
from reporting.demo_data import G, R, Y
from reporting.demo_series import load_daily_series
from reporting.models import ReportForm, ReportingRound, Submission

OSLO = ZoneInfo("Europe/Oslo")
REPORTER_PREFIX = "demo-rapportor-"

HELSEDIR_ANALYST = "helsedirektoratet.analytiker@demo.samvirke.no"
DSB_ANALYST = "dsb.analytiker@demo.samvirke.no"
OFFICERS = {
    "vestland": "vestland.statsforvalter@demo.samvirke.no",
    "rogaland": "rogaland.statsforvalter@demo.samvirke.no",
    "ostfold-buskerud-oslo-og-akershus": "ost.statsforvalter@demo.samvirke.no",
}
OST = "ostfold-buskerud-oslo-og-akershus"
#: The regions of the demo municipalities (Bergen, Stavanger, Sandnes, Drammen, Trondheim).
OPEN_ROUND_OFFICES = ["vestland", "rogaland", OST, "trondelag"]
#: Demo municipalities: fixed fates in the past rounds, left to the demo user in the open.
DEMO_MUNICIPALITIES = {"4601", "1103", "1108", "3301", "5001"}

COVID_FORM = ("helsedirektoratet", "Covid-19: status i kommunen")
SITUATION_FORM = ("dsb", "Situasjonsrapport fra kommunen")


def at(value: str) -> datetime:
    """ "2023-08-09 12:00" (Oslo time) as an aware datetime."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=OSLO)


class Clock:
    """``django.utils.timezone.now`` answers :attr:`moment` while it is set (and the real
    time otherwise), so the actions run as if the round happened then."""

    def __init__(self):
        self._real = timezone.now
        self.moment: datetime | None = None

    def real_now(self) -> datetime:
        return self._real()

    def now(self) -> datetime:
        return self.moment if self.moment is not None else self._real()

    def set(self, moment: datetime) -> None:
        self.moment = moment

    @contextmanager
    def running(self):
        with mock.patch.object(timezone, "now", self.now):
            yield self


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def status(value: str, comment: str = "") -> dict:
    return {"status": value, "comment": comment}


class Command(BaseCommand):
    help = (
        "Load demo reporting rounds (Covid-19 nationally and as a daily series in Vestland, "
        "«Hans» regionally, one open)."
    )
    at = staticmethod(at)
    DEMO_MUNICIPALITIES = DEMO_MUNICIPALITIES

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_rounds writes fictional reports under demo accounts.")
        emails = {HELSEDIR_ANALYST, DSB_ANALYST, *OFFICERS.values()}
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if set(self.users) != emails:
            raise CommandError("Run `manage.py load_demo` first (the demo accounts are missing).")
        self.forms = {}
        for owner, title in (COVID_FORM, SITUATION_FORM):
            form = ReportForm.objects.filter(owner__slug=owner, title=title).first()
            if form is None:
                raise CommandError("Run `manage.py load_report_forms` first.")
            self.forms[(owner, title)] = form
        self.offices = {o.slug: o for o in Office.objects.all()}
        self.counts = Counter()
        started = time.monotonic()
        clock = Clock()
        # No outer pghistory.context (as in load_demo_incidents): each action sets its own.
        with transaction.atomic(), clock.running():
            self.clock = clock
            self.load_writers()
            self.load_covid()
            self.load_hans()
            self.load_open_round()
            if load_daily_series(
                self,
                analyst=self.users[HELSEDIR_ANALYST],
                officer=self.users[OFFICERS["vestland"]],
                office=self.offices["vestland"],
                form=self.forms[COVID_FORM],
            ):
                self.counts["rounds"] += 1
        detail = ", ".join(f"{k} +{v}" for k, v in sorted(self.counts.items()) if v)
        created = self.counts["rounds"]
        self.stdout.write(
            f"Demo rounds: {created} created, {4 - created} unchanged"
            f"{f' ({detail})' if detail else ''} in {time.monotonic() - started:.2f} s."
        )

    # --- who writes -------------------------------------------------------------------

    def load_writers(self):
        """``self.writer``: municipality organisation id → the user who submits for it (a
        demo account that may write there, or the municipality's demo reporter)."""
        self.municipalities = list(
            Municipality.objects.select_related("organisation", "county__office").order_by("number")
        )
        self.writer: dict[int, User] = {}
        for assignment in (
            RoleAssignment.objects.filter(
                role__in=REPORT_WRITER_ROLES,
                organisation__kind="municipality",
                user__email__endswith="@demo.samvirke.no",
                user__is_active=True,
            )
            .exclude(user__username__startswith=REPORTER_PREFIX)
            .select_related("user")
            .order_by("role", "user__email")  # emergency manager before crisis staff
        ):
            self.writer.setdefault(assignment.organisation_id, assignment.user)
        reporters = {
            u.username: u for u in User.objects.filter(username__startswith=REPORTER_PREFIX)
        }
        missing = [
            m
            for m in self.municipalities
            if m.organisation_id not in self.writer and REPORTER_PREFIX + m.number not in reporters
        ]
        if missing:
            unusable = make_password(None)
            new = []
            for m in missing:
                rng = random.Random(f"reporter-{m.number}")  # noqa: S311 — demo data
                new.append(
                    User(
                        username=REPORTER_PREFIX + m.number,
                        email=f"{REPORTER_PREFIX}{m.number}@demo.samvirke.invalid",
                        first_name=rng.choice(text.FIRST_NAMES),
                        last_name=rng.choice(text.LAST_NAMES),
                        password=unusable,
                        is_active=False,
                    )
                )
            for user in User.objects.bulk_create(new):
                reporters[user.username] = user
            by_number = {m.number: m for m in missing}
            RoleAssignment.objects.bulk_create(
                RoleAssignment(
                    user=reporters[REPORTER_PREFIX + number],
                    organisation=m.organisation,
                    role=Role.EMERGENCY_MANAGER,
                    title="Beredskapskoordinator",
                )
                for number, m in by_number.items()
            )
            self.counts["reporters"] += len(new)
        self.reporters = [
            reporters[REPORTER_PREFIX + m.number]
            for m in self.municipalities
            if m.organisation_id not in self.writer
        ]
        for m in self.municipalities:
            self.writer.setdefault(m.organisation_id, reporters.get(REPORTER_PREFIX + m.number))

    @contextmanager
    def reporters_active(self):
        """The reporters may act (submit, open the picture) only inside this block."""
        ids = [u.pk for u in self.reporters]
        User.objects.filter(pk__in=ids).update(is_active=True)
        for user in self.reporters:
            user.is_active = True
        try:
            yield
        finally:
            User.objects.filter(pk__in=ids).update(is_active=False)
            for user in self.reporters:
                user.is_active = False
                user.__dict__.pop("_samvirke_viewer", None)

    # --- shared steps -----------------------------------------------------------------

    def existing(self, issuer, title) -> bool:
        return ReportingRound.objects.filter(issuer=issuer, title=title).exists()

    def submit_all(self, round_, plans):
        """``plans``: (moment, municipality, answers, draft answers or None, amendment
        (moment, answers) or None), in any order; replayed in time order."""
        submissions = {s.municipality_id: s for s in Submission.objects.filter(round=round_)}
        events = []
        for moment, m, answers, draft, amend in plans:
            if draft is not None:
                events.append((moment - timedelta(minutes=25), "draft", m, draft))
            if answers is not None:
                events.append((moment, "submit", m, answers))
            if amend is not None:
                events.append((amend[0], "amend", m, amend[1]))
        events.sort(key=lambda e: (e[0], e[2].number, e[1]))
        with self.reporters_active():
            for moment, kind, m, answers in events:
                self.clock.set(moment)
                user = self.writer[m.organisation_id]
                current = submissions[m.organisation_id]
                if kind == "draft":
                    current = actions.do_save_draft(
                        current, answers, expected_version=current.version, acting_user=user
                    )
                    self.counts["drafts"] += 1
                else:
                    current = actions.do_submit(
                        current, answers=answers, expected_version=current.version, acting_user=user
                    )
                    self.counts["submissions" if kind == "submit" else "amendments"] += 1
                submissions[m.organisation_id] = current

    def compile(self, round_, *, user, office, assessment, publish_at, forward=True):
        self.clock.set(publish_at - timedelta(minutes=40))
        compilation = actions.do_start_compilation(round_, acting_user=user, office=office)
        compilation = actions.do_save_assessment(
            compilation,
            acting_user=user,
            assessment=assessment,
            expected_version=compilation.version,
        )
        self.clock.set(publish_at)
        compilation = actions.do_publish_compilation(compilation, acting_user=user)
        self.counts["published compilations"] += 1
        if forward:
            self.clock.set(publish_at + timedelta(minutes=5))
            compilation = actions.do_forward_compilation(compilation, acting_user=user)
        return compilation

    def seen(self, compilation, municipalities, *, share, seed):
        """Some of the municipalities open the published picture in the hours after."""
        rng = random.Random(seed)  # noqa: S311 — demo data
        published = compilation.published_at
        with self.reporters_active():
            for m in municipalities:
                if m.number in DEMO_MUNICIPALITIES or rng.random() > share:
                    continue
                self.clock.set(published + timedelta(minutes=rng.randint(3, 20 * 60)))
                actions.record_seen(compilation, self.writer[m.organisation_id])
                self.counts["pictures seen"] += 1

    # --- Covid-19 ---------------------------------------------------------------------

    def load_covid(self):
        issuer = Organisation.objects.get(slug="helsedirektoratet")
        if self.existing(issuer, text.COVID_TITLE):
            return
        analyst = self.users[HELSEDIR_ANALYST]
        day = "2022-01-19"
        self.clock.set(at(f"{day} 08:00"))
        round_ = actions.do_issue_round(
            issuer=issuer,
            acting_user=analyst,
            form=self.forms[COVID_FORM],
            title=text.COVID_TITLE,
            deadline=at(f"{day} 12:00"),
            offices=self.offices.values(),
            frame=CrisisFrame.objects.filter(title="Covid-19").first(),
        )
        self.counts["rounds"] += 1
        deadline = round_.deadline
        fixed = {"4601": "on_time", "1103": "on_time", "1108": "late", "3301": "on_time"}
        plans = []
        for m in self.municipalities:
            rng = random.Random(f"covid-{m.number}")  # noqa: S311 — demo data
            fate = fixed.get(m.number) or pick(
                rng, {"on_time": 0.89, "late": 0.075, "missing": 0.035}
            )
            answers = self.covid_answers(m, rng)
            if fate == "missing":
                # Some started a draft and never submitted.
                if rng.random() < 0.4:
                    draft = {k: answers[k] for k in ("nye_tilfeller", "innlagte")}
                    moment = deadline - timedelta(minutes=rng.randint(30, 180))
                    plans.append((moment + timedelta(minutes=25), m, None, draft, None))
                continue
            if fate == "late":
                moment = deadline + timedelta(minutes=rng.randint(4, 165))
            else:
                # Most arrive in the last two hours before the deadline.
                moment = deadline - timedelta(minutes=int(rng.triangular(2, 230, 25)))
            draft = None
            if rng.random() < 0.2:
                draft = {k: v for k, v in answers.items() if k in ("nye_tilfeller", "i_isolasjon")}
            amend = None
            if rng.random() < 0.03 and fate == "on_time":
                corrected = dict(
                    answers, nye_tilfeller=answers["nye_tilfeller"] + rng.randint(1, 9)
                )
                amend = (moment + timedelta(minutes=rng.randint(40, 120)), corrected)
            plans.append((moment, m, answers, draft, amend))
        self.submit_all(round_, plans)

        self.acknowledge(round_, ["4601", "1103", "1108", "3301"], at(f"{day} 13:10"))
        self.clock.set(at(f"{day} 13:25"))
        sandnes = Submission.objects.get(round=round_, municipality__slug="kommune-1108")
        actions.do_comment(
            sandnes,
            acting_user=self.users[OFFICERS["rogaland"]],
            body=(
                "Takk for rapporten. Vi har merket oss fraværet i hjemmetjenesten og tar det "
                "opp i kommunemøtet fredag. Meld fra straks om situasjonen blir kritisk."
            ),
        )
        self.counts["comments"] += 1

        compilations = []
        for i, (slug, email) in enumerate(OFFICERS.items()):
            compilations.append(
                self.compile(
                    round_,
                    user=self.users[email],
                    office=self.offices[slug],
                    assessment=text.COVID_ASSESSMENTS[slug],
                    publish_at=at(f"{day} 15:00") + timedelta(minutes=20 * i),
                )
            )
        national = self.compile(
            round_,
            user=analyst,
            office=None,
            assessment=text.COVID_NATIONAL_ASSESSMENT,
            publish_at=at(f"{day} 16:30"),
            forward=False,
        )
        for compilation in compilations:
            members = [
                m for m in self.municipalities if m.county.office_id == compilation.office_id
            ]
            self.seen(compilation, members, share=0.7, seed=f"seen-{compilation.office_id}")
        self.seen(national, self.municipalities, share=0.45, seed="seen-national")
        self.clock.set(at(f"{day} 17:00"))
        actions.do_close_round(round_, acting_user=analyst)

    def covid_answers(self, m, rng) -> dict:
        population = m.population
        factor = text.COVID_REGION_FACTOR.get(m.county.office.slug, 1.0)
        cases = round(population * 0.0028 * factor * rng.lognormvariate(0, 0.35))
        capacity = max(20, round(population * rng.uniform(0.008, 0.02), -1))
        tests = min(round(cases * rng.uniform(2.2, 3.6)), round(capacity * 1.05))
        staff = pick(rng, {"green": 0.68, "yellow": 0.27, "red": 0.05})
        absence = {"green": (3, 9), "yellow": (9, 15), "red": (15, 22)}[staff]
        capacity_status = pick(rng, {"green": 0.74, "yellow": 0.22, "red": 0.04})
        answers = {
            "nye_tilfeller": cases,
            "i_isolasjon": round(cases * rng.uniform(4.5, 6.5)),
            "utbrudd_institusjoner": (
                rng.choice([0, 0, 1, 1, 2, 3]) if population > 40_000 else int(rng.random() < 0.08)
            ),
            "innlagte": round(population * 0.00005 * factor * rng.uniform(0.3, 1.8)),
            "kommunale_senger": round(population * 0.00003 * rng.uniform(0, 2)),
            "doser_satt": round(population * rng.uniform(0.03, 0.07)),
            "vaksinedekning": str(Decimal(str(round(rng.uniform(86.5, 95.5), 1)))),
            "tester_tatt": tests,
            "testkapasitet": int(capacity),
            "svartid": str(round(rng.uniform(10, 30 if capacity_status != "red" else 60), 1)),
            "personell_status": status(
                staff, rng.choice(text.COVID_STAFF[staff]) if staff != "green" else ""
            ),
            "fravaer_helse": str(round(rng.uniform(*absence), 1)),
            "kapasitet_status": status(
                capacity_status,
                rng.choice(text.COVID_CAPACITY[capacity_status])
                if capacity_status != "green"
                else "",
            ),
        }
        if rng.random() < 0.3:
            answers["kommentar"] = rng.choice(text.COVID_COMMENTS)
        return answers

    def acknowledge(self, round_, numbers, moment):
        self.clock.set(moment)
        for submission in Submission.objects.filter(
            round=round_, municipality__slug__in=[f"kommune-{n}" for n in numbers]
        ).select_related("round", "municipality"):
            office = submission.municipality.region.slug
            actions.do_acknowledge(submission, acting_user=self.users[OFFICERS[office]])
            self.counts["acknowledgements"] += 1

    # --- Ekstremværet Hans ------------------------------------------------------------

    def load_hans(self):
        office = self.offices[OST]
        officer = self.users[OFFICERS[OST]]
        if self.existing(office.organisation, text.HANS_TITLE):
            return
        day = "2023-08-09"
        self.clock.set(at(f"{day} 08:00"))
        round_ = actions.do_issue_round(
            issuer=office.organisation,
            acting_user=officer,
            form=self.forms[SITUATION_FORM],
            title=text.HANS_TITLE,
            deadline=at(f"{day} 12:00"),
            offices=[office],
            frame=CrisisFrame.objects.filter(title="Ekstremværet Hans").first(),
        )
        self.counts["rounds"] += 1
        deadline = round_.deadline
        region = [m for m in self.municipalities if m.county.office_id == office.pk]
        fixed = {"3301": "on_time", "3305": "late", "3322": "late", "3320": "late"}
        plans = []
        for m in region:
            rng = random.Random(f"hans-{m.number}")  # noqa: S311 — demo data
            fate = fixed.get(m.number)
            if fate is None:
                fate = pick(rng, {"on_time": 0.86, "late": 0.06, "missing": 0.08})
                if m.number in text.HANS_VALLEYS and fate == "missing":
                    fate = "late"
            if fate == "missing":
                continue
            if fate == "late":
                moment = deadline + timedelta(minutes=rng.randint(10, 150))
            else:
                moment = deadline - timedelta(minutes=int(rng.triangular(5, 200, 40)))
            answers = self.hans_answers(m, rng, moment)
            draft = None
            if m.number == "3301" or rng.random() < 0.25:
                draft = {
                    k: answers[k] for k in ("situasjon_tidspunkt", "kriseledelse") if k in answers
                }
            plans.append((moment, m, answers, draft, None))
        self.submit_all(round_, plans)

        self.acknowledge(round_, ["3301", "3305"], at(f"{day} 13:05"))
        self.clock.set(at(f"{day} 13:20"))
        drammen = Submission.objects.get(round=round_, municipality__slug="kommune-3301")
        actions.do_comment(
            drammen,
            acting_user=officer,
            body=(
                "Takk. Anmodningen om bistand er formidlet til Sivilforsvaret. Oslo og "
                "Akershus sivilforsvarsdistrikt sender mannskaper til Mjøndalen og aggregat "
                "til EPS i løpet av ettermiddagen. Pumpekapasiteten følger vi opp med NVE."
            ),
        )
        self.counts["comments"] += 1
        compilation = self.compile(
            round_,
            user=officer,
            office=office,
            assessment=text.HANS_ASSESSMENT,
            publish_at=at(f"{day} 15:00"),
        )
        self.seen(compilation, region, share=0.8, seed="seen-hans")
        self.clock.set(at(f"{day} 18:00"))
        actions.do_close_round(round_, acting_user=officer)

    def hans_answers(self, m, rng, moment) -> dict:
        writer = self.writer[m.organisation_id]
        as_of = moment - timedelta(minutes=rng.randint(10, 40))
        answers: dict[str, Any] = {
            "situasjon_tidspunkt": timezone.localtime(as_of, OSLO).strftime("%Y-%m-%d %H:%M"),
            "kontaktperson": (
                f"{writer.get_full_name()}, tlf. 400 {rng.randint(20, 99)} {rng.randint(100, 999)}"
            ),
        }
        spec: dict[str, Any] | None = text.HANS_REPORTS.get(m.number)
        sectors = ("helse", "vann", "kraft_ekom", "ikt", "transport", "evakuering",
                   "informasjon", "bemanning")  # fmt: skip
        if spec is None:
            spec = self.hans_generated(m, rng)
        answers["kriseledelse"] = spec["kriseledelse"]
        answers["situasjonsbeskrivelse"] = spec["situasjonsbeskrivelse"]
        for key in ("konsekvenser", "vurdering", "bistand_beskrivelse", "transport_stengte"):
            if spec.get(key):
                answers[key] = spec[key]
        for sector in sectors:
            answers[f"{sector}_status"] = status(*spec["status"][sector])
        answers["samlet_status"] = status(*spec["status"]["samlet"])
        for key in ("evakuerte", "innkvartert", "strom_uten", "vann_berorte"):
            if key in spec:
                answers[key] = spec[key]
        if "vann_kokevarsel" in spec:
            answers["vann_kokevarsel"] = spec["vann_kokevarsel"]
        if spec.get("ekom"):
            answers["ekom_utfall"] = spec["ekom"]
        answers["informasjon_kanaler"] = spec.get("kanaler", ["nettside"])
        answers["bistand_behov"] = spec["bistand_behov"]
        answers["utvikling"] = spec["utvikling"]
        if answers["samlet_status"]["status"] != "green":
            answers["bemanning_fravaer"] = str(round(rng.uniform(2, 8), 1))
        return answers

    def hans_generated(self, m, rng) -> dict:
        """The report of a municipality without a hand-written one: a valley cut off, a
        town along Glomma preparing, or a quiet day."""
        quiet = {s: (G, "") for s in ("helse", "vann", "kraft_ekom", "ikt", "evakuering",
                                      "informasjon", "bemanning")}  # fmt: skip
        if m.number in text.HANS_VALLEYS:
            severe = rng.random() < 0.5
            return {
                "kriseledelse": "ja",
                "situasjonsbeskrivelse": text.HANS_VALLEY_DESCRIPTION.format(
                    name=text.HANS_VALLEYS[m.number]
                ),
                "konsekvenser": "Flere husstander er uten strøm og mobildekning. "
                "Skolestart kan bli utsatt.",
                "status": {
                    **quiet,
                    "helse": (Y, "Hjemmetjenesten når ikke alle brukere; besøk via omvei."),
                    "vann": (Y, "Kokevarsel for ett vannverk.") if severe else (G, ""),
                    "kraft_ekom": (R if severe else Y, "Strømbrudd og utfall i mobilnettet."),
                    "transport": (R, "Riks- og fylkesveier brutt av flom og skred."),
                    "evakuering": (Y, "Evakuerte innkvartert på skole og hotell."),
                    "bemanning": (Y, "Ansatte kommer seg ikke på jobb på grunn av stengte veier."),
                    "samlet": (R if severe else Y, ""),
                },
                "evakuerte": rng.randint(8, 70),
                "innkvartert": rng.randint(0, 25),
                "strom_uten": rng.randint(80, 900),
                "vann_berorte": rng.randint(50, 400) if severe else 0,
                **({"vann_kokevarsel": "ja"} if severe else {}),
                "ekom": ["mobil", "fast"] if severe else ["mobil"],
                "transport_stengte": text.HANS_VALLEY_ROADS[m.number],
                "kanaler": ["nettside", "sosiale_medier", "sms"],
                "bistand_behov": "ja" if severe else "kan_oppsta",
                "bistand_beskrivelse": (
                    "Forsyning av isolerte grender og aggregater til sykehjem og "
                    "mobilmaster. Helikopter dersom veiene ikke åpner i morgen."
                ),
                "utvikling": rng.choice(["forverring", "uendret"]),
            }
        if m.number in text.HANS_GLOMMA:
            return {
                "kriseledelse": rng.choice(["ja", "beredskap"]),
                "situasjonsbeskrivelse": text.HANS_GLOMMA_DESCRIPTION.format(
                    river=text.HANS_GLOMMA[m.number]
                ),
                "status": {
                    **quiet,
                    "transport": (Y, "Enkelte kommunale veier stengt etter utglidninger."),
                    "samlet": (Y, "Flomtoppen ventes i helgen."),
                },
                "transport_stengte": "Enkelte kommunale veier",
                "kanaler": ["nettside", "sosiale_medier", "sms"],
                "bistand_behov": rng.choice(["nei", "kan_oppsta"]),
                "utvikling": "forverring",
            }
        yellow = rng.random() < 0.3
        return {
            "kriseledelse": rng.choice(["nei", "beredskap", "beredskap"]),
            "situasjonsbeskrivelse": rng.choice(text.HANS_QUIET_DESCRIPTIONS),
            "status": {
                **quiet,
                "transport": (Y, "Noen kommunale veier stengt.") if yellow else (G, ""),
                "samlet": (Y, "") if yellow else (G, ""),
            },
            "bistand_behov": "nei",
            "utvikling": rng.choice(["bedring", "uendret"]),
        }

    # --- the open round ---------------------------------------------------------------

    def load_open_round(self):
        dsb = Organisation.objects.get(slug="dsb")
        if self.existing(dsb, text.OPEN_TITLE):
            return
        analyst = self.users[DSB_ANALYST]
        now = timezone.localtime(self.clock.real_now(), OSLO)
        issued = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=4)
        deadline = (now + timedelta(days=2)).replace(hour=12, minute=0, second=0, microsecond=0)
        self.clock.set(issued)
        offices = [self.offices[slug] for slug in OPEN_ROUND_OFFICES]
        round_ = actions.do_issue_round(
            issuer=dsb,
            acting_user=analyst,
            form=self.forms[SITUATION_FORM],
            title=text.OPEN_TITLE,
            deadline=deadline,
            offices=offices,
        )
        self.counts["rounds"] += 1
        office_ids = {o.pk for o in offices}
        plans = []
        window = int((now - issued).total_seconds() // 60) - 5
        for m in self.municipalities:
            if m.county.office_id not in office_ids or m.number in DEMO_MUNICIPALITIES:
                continue
            rng = random.Random(f"open-{m.number}")  # noqa: S311 — demo data
            if rng.random() > 0.35:
                continue
            moment = issued + timedelta(minutes=rng.randint(10, max(11, window)))
            answers = self.open_answers(m, rng, moment)
            plans.append((moment, m, answers, None, None))
        self.submit_all(round_, plans)
        self.clock.moment = None

    def open_answers(self, m, rng, moment) -> dict:
        writer = self.writer[m.organisation_id]
        windy = rng.random() < 0.25
        sectors = ("helse", "vann", "kraft_ekom", "ikt", "transport", "evakuering",
                   "informasjon", "bemanning")  # fmt: skip
        answers: dict[str, Any] = {f"{s}_status": status(G) for s in sectors}
        answers.update(
            situasjon_tidspunkt=timezone.localtime(moment, OSLO).strftime("%Y-%m-%d %H:%M"),
            kriseledelse="beredskap" if windy else "nei",
            situasjonsbeskrivelse=rng.choice(text.OPEN_QUIET),
            bistand_behov="nei",
            samlet_status=status(Y if windy else G),
            utvikling=rng.choice(["uendret", "bedring"]),
            kontaktperson=f"{writer.get_full_name()}, tlf. 400 {rng.randint(20, 99)} "
            f"{rng.randint(100, 999)}",
        )
        if windy:
            answers["kraft_ekom_status"] = status(Y, "Strømbrudd i ytre strøk etter trefall.")
            answers["strom_uten"] = rng.randint(20, 600)
        return answers
