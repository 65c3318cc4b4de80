"""Load the demo comment rounds (høring) and action cards (tiltakskort). Run after
``load_demo`` and ``load_demo_incidents``.

What it adds:

* DSB's draft guide "Veileder for kommunal beredskapsplikt – utkast til revisjon", opened
  for comments by Storbynettverk beredskap (SNB): Bergen, Stavanger and Trondheim comment
  per chapter, DSB decides on each comment and ends the round with a summary;
* DSB's draft "Mal for evaluering av kommunens krisehåndtering – utkast", open for
  comments by SNB and KS until three weeks from the first run, with two comments waiting
  for DSB's decision;
* Bergen's "Tiltakskort: Langvarig strømbrudd" (shared with SNB) and Drammen's
  "Tiltakskort: Evakuering av boligområde" (shared with KS Storbynettverk), with realistic
  steps; the power-outage card is applied to Bergen's exercise incident "ØVELSE –
  langvarig strømbrudd i Bergen".

Idempotent: documents are matched on (owner, title), rounds on their document, comments
on (round, author, section), the application on (incident, card); a second run writes
nothing. Every write goes through ``networks.library.actions`` and
``networks.comment_rounds.actions``, as the demo account that may make it.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from incidents.log.models import Incident, Task
from networks.action_cards import actions as card_actions
from networks.comment_rounds import actions
from networks.comment_rounds.models import CommentDecision, CommentRound, DocumentComment
from networks.library.actions import do_create_document, do_share_document
from networks.library.models import Document
from networks.structure.models import Network, Organisation
from portal.models import User

DSB = "dsb.analytiker@demo.samvirke.no"
BERGEN = "bergen.beredskap@demo.samvirke.no"
STAVANGER = "stavanger.beredskap@demo.samvirke.no"
TRONDHEIM = "snb.koordinator@demo.samvirke.no"
DRAMMEN = "drammen.krisestab@demo.samvirke.no"
KS = "ks.analytiker@demo.samvirke.no"

GUIDE_BODY = """\
Dette er et utkast til revidert veileder til forskrift om kommunal beredskapsplikt. \
DSB ber Storbynettverk beredskap om innspill før utkastet sendes på ordinær høring.

## 1 Innledning

Veilederen skal hjelpe kommunene med å oppfylle kravene i sivilbeskyttelsesloven § 14 og \
§ 15 og forskrift om kommunal beredskapsplikt. Revisjonen bygger på erfaringene fra \
koronapandemien, ekstremværet «Hans» og mottaket av flyktninger fra Ukraina.

## 2 Helhetlig risiko- og sårbarhetsanalyse

Kommunen skal gjennomføre en helhetlig risiko- og sårbarhetsanalyse (helhetlig ROS) som \
kartlegger uønskede hendelser som kan inntreffe i kommunen, og vurdere sannsynligheten for \
og konsekvensene av dem. Analysen skal også omfatte hendelser utenfor kommunens grenser som \
kan få betydning for kommunen, og langvarige hendelser som pandemi og langvarig strømbrudd.

## 3 Beredskapsplan og kriseledelse

Beredskapsplanen skal inneholde en plan for kommunens kriseledelse, en varslingsliste, en \
ressursoversikt, evakueringsplaner og en plan for krisekommunikasjon. Kriseledelsen skal \
kunne etableres raskt og fungere over tid.

## 4 Samarbeid med statsforvalteren og andre kommuner

Kommunen skal samordne sin beredskap med statsforvalteren og nabokommunene. Rapportering \
til statsforvalteren skal skje i fastsatt format, og statsforvalteren skal gi kommunene \
tilbakemelding i form av et regionalt situasjonsbilde.

## 5 Øvelser og evaluering

Beredskapsplanen skal øves minst hvert annet år, og hendelser og øvelser skal evalueres. \
Læringspunktene skal følges opp med tiltak, ansvar og frist.
"""

EVALUATION_BODY = """\
Utkast til felles mal for kommunenes evaluering av egen krisehåndtering, utarbeidet av DSB \
på grunnlag av KS' evalueringsmal fra koronapandemien.

## Om hendelsen

Beskriv hendelsen, varighet, hvilke deler av kommunen som ble berørt, og hvilke aktører \
kommunen samarbeidet med.

## Kriseledelse og beslutninger

Hvordan ble kriseledelsen etablert, og hvordan fungerte beslutningslinjene over tid?

## Kommunikasjon

Hvordan nådde kommunen innbyggere, ansatte og samarbeidspartnere, også på andre språk?

## Læringspunkter og oppfølging

Hva fungerte, hva fungerte ikke, og hvilke tiltak skal følges opp, av hvem og innen når?
"""

ROUNDS = [
    {
        "owner": "dsb",
        "author": DSB,
        "kind": "guide",
        "title": "Veileder for kommunal beredskapsplikt – utkast til revisjon",
        "topic": "Beredskapsplikt",
        "body": GUIDE_BODY,
        "network": "snb",
        "organisations": [],
        "deadline_days": 14,
        "comments": [
            {
                "author": BERGEN,
                "section": "2 Helhetlig risiko- og sårbarhetsanalyse",
                "body": "Veilederen bør si tydeligere hvordan storbyene kan samordne sine "
                "helhetlige ROS-analyser med nabokommunene. Bergen har gode erfaringer med "
                "felles analyser i regionen, og det bør komme fram som et eksempel.",
                "decision": CommentDecision.TAKEN_IN,
                "note": "Nytt avsnitt om regionale ROS-analyser med eksempel fra Bergen.",
            },
            {
                "author": STAVANGER,
                "section": "3 Beredskapsplan og kriseledelse",
                "body": "Under pandemien utarbeidet Stavanger og nabokommunene på Nord-Jæren "
                "felles lokale forskrifter. Veilederen bør omtale slikt samarbeid om "
                "forskrifter og felles kriseledelse over kommunegrensene.",
                "decision": CommentDecision.TAKEN_IN,
                "note": "Omtalt i kapittel 3 og 4, med henvisning til Nord-Jæren.",
            },
            {
                "author": TRONDHEIM,
                "section": "4 Samarbeid med statsforvalteren og andre kommuner",
                "body": "Kommunene opplever at de sender rapporter opp uten å få noe tilbake. "
                "Veilederen bør stille krav om at statsforvalteren deler det sammenstilte "
                "situasjonsbildet med kommunene innen en fast frist.",
                "decision": CommentDecision.NOT_TAKEN_IN,
                "note": "Statsforvalterens plikter reguleres ikke i denne forskriften. "
                "Innspillet er sendt videre til arbeidet med instruks for statsforvalterne.",
            },
            {
                "author": BERGEN,
                "section": "5 Øvelser og evaluering",
                "body": "Foreslår at kravet om øvelse hvert annet år suppleres med en "
                "anbefaling om å øve sammen med nabokommuner og statsforvalteren.",
                "decision": CommentDecision.TAKEN_IN,
                "note": "Tatt inn som anbefaling.",
            },
            {
                "author": STAVANGER,
                "section": "",
                "body": "Et godt utkast. Det bør komme en kortversjon med sjekkliste for "
                "mindre kommuner.",
                "decision": CommentDecision.NOT_TAKEN_IN,
                "note": "Vurderes som eget produkt etter at veilederen er fastsatt.",
            },
        ],
        "summary": "DSB takker Storbynettverk beredskap for grundige innspill. Tre av fem "
        "innspill er tatt inn: regionale ROS-analyser (kap. 2), samarbeid om lokale "
        "forskrifter og kriseledelse over kommunegrensene (kap. 3 og 4) og øvelser sammen "
        "med nabokommuner (kap. 5). Innspillet om statsforvalterens tilbakemelding er sendt "
        "videre til arbeidet med instruks for statsforvalterne. Revidert utkast sendes på "
        "ordinær høring.",
    },
    {
        "owner": "dsb",
        "author": DSB,
        "kind": "evaluation_template",
        "title": "Mal for evaluering av kommunens krisehåndtering – utkast",
        "topic": "Evaluering",
        "body": EVALUATION_BODY,
        "network": "snb",
        "organisations": ["ks"],
        "deadline_days": 21,
        "comments": [
            {
                "author": TRONDHEIM,
                "section": "Kommunikasjon",
                "body": "Malen bør spørre etter kommunikasjon med innbyggere som ikke leser "
                "norsk, og hvordan tolketjenester ble brukt.",
            },
            {
                "author": KS,
                "section": "Læringspunkter og oppfølging",
                "body": "KS ønsker at læringspunktene registreres etter de samme områdene "
                "som i Samvirke, slik at de kan sammenstilles på tvers av kommunene.",
            },
        ],
        "summary": "",
    },
]

CARDS = [
    {
        "owner": "kommune-4601",
        "author": BERGEN,
        "title": "Tiltakskort: Langvarig strømbrudd",
        "topic": "Strømbrudd",
        "body": "Tiltakskort for kommunens kriseledelse ved strømbrudd som varer eller ventes "
        "å vare mer enn seks timer i store deler av kommunen.",
        "share": {"network": "snb"},
        "steps": [
            ("Vurder situasjonen og sett kriseledelsen", "Kriseledelsen", 30),
            ("Varsle innbyggerne på nettside, sosiale medier og lokalradio",
             "Kommunikasjonsansvarlig", 60),
            ("Kartlegg hjemmeboende med strømavhengig medisinsk utstyr", "Kommuneoverlege", 120),
            ("Sikre nødstrøm til sykehjem, legevakt og vannverk", "Teknisk drift", 120),
            ("Etabler varmestuer og informasjonspunkter med nødnett", "Beredskapskoordinator",
             240),
            ("Avklar behov for bistand med nabokommuner og statsforvalteren", "Kriseledelsen",
             360),
            ("Send situasjonsrapport til statsforvalteren", "Beredskapskoordinator", 480),
        ],
        "apply_to": {"owner": "kommune-4601", "title": "ØVELSE – langvarig strømbrudd i Bergen"},
    },
    {
        "owner": "kommune-3301",
        "author": DRAMMEN,
        "title": "Tiltakskort: Evakuering av boligområde",
        "topic": "Evakuering",
        "body": "Tiltakskort for evakuering av et boligområde ved flom, skred, brann eller "
        "gassutslipp, i samråd med politiet.",
        "share": {"network": "ks-storbynettverk"},
        "steps": [
            ("Beslutt evakuering i samråd med politiet", "Kriseledelsen", 30),
            ("Varsle berørte beboere (SMS, dør-til-dør og nettside)",
             "Kommunikasjonsansvarlig", 60),
            ("Åpne evakuerte- og pårørendesenter (EPS)", "Helse og velferd", 120),
            ("Organiser transport for beboere uten bil og for sårbare grupper", "Teknisk drift",
             120),
            ("Registrer evakuerte og svar pårørende", "Leder EPS", 180),
            ("Vurder helsefaglige behov blant de evakuerte", "Kommuneoverlege", 240),
            ("Skaff midlertidig innkvartering for dem som ikke kan flytte hjem", "Kriseledelsen",
             360),
        ],
        "apply_to": None,
    },
]  # fmt: skip


class Command(BaseCommand):
    help = "Load demo comment rounds (SNB on DSB's drafts) and action cards (power, evacuation)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_hearings writes fictional documents under demo accounts.")
        emails = {DSB, BERGEN, STAVANGER, TRONDHEIM, DRAMMEN, KS}
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if set(self.users) != emails:
            raise CommandError("Run `manage.py load_demo` first (the demo accounts are missing).")
        self.counts = Counter()
        started = time.monotonic()
        with transaction.atomic():
            for spec in ROUNDS:
                self.load_round(spec)
            for spec in CARDS:
                self.load_card(spec)
        created = sum(v for (_, s), v in self.counts.items() if s == "created")
        unchanged = sum(v for (_, s), v in self.counts.items() if s == "unchanged")
        detail = ", ".join(
            f"{model} +{n}" for (model, s), n in sorted(self.counts.items()) if s == "created"
        )
        self.stdout.write(
            f"Demo comment rounds and action cards: {created} created, {unchanged} unchanged"
            f"{f' ({detail})' if detail else ''} in {time.monotonic() - started:.2f} s."
        )

    def count(self, name, created):
        self.counts[(name, "created" if created else "unchanged")] += 1

    def document(self, spec, kind, checklist=None):
        owner = Organisation.objects.get(slug=spec["owner"])
        document = Document.objects.filter(owner=owner, title=spec["title"]).first()
        self.count("Document", document is None)
        if document is None:
            document = do_create_document(
                owner, self.users[spec["author"]], kind, spec["title"], topic=spec["topic"],
                body=spec["body"], checklist=checklist,
            )  # fmt: skip
        return document

    def load_round(self, spec):
        document = self.document(spec, spec["kind"])
        owner_user = self.users[spec["author"]]
        round_ = CommentRound.objects.filter(document=document).first()
        self.count("CommentRound", round_ is None)
        if round_ is None:
            round_ = actions.do_open_round(
                document,
                acting_user=owner_user,
                deadline=timezone.now() + timedelta(days=spec["deadline_days"]),
                network=Network.objects.get(slug=spec["network"]) if spec["network"] else None,
                organisations=list(Organisation.objects.filter(slug__in=spec["organisations"])),
            )
        for c in spec["comments"]:
            author = self.users[c["author"]]
            comment = DocumentComment.objects.filter(
                round=round_, author=author, section=c["section"]
            ).first()
            self.count("DocumentComment", comment is None)
            if comment is None:
                if not actions.round_is_open(round_):
                    continue  # the round has ended or its deadline passed since the first run
                comment = actions.do_comment(
                    round_, acting_user=author, section=c["section"], body=c["body"]
                )
            pending = comment.decision == CommentDecision.PENDING
            if c.get("decision") and pending and round_.closed_at is None:
                actions.do_decide(
                    comment, acting_user=owner_user, decision=c["decision"], note=c["note"]
                )
        if spec["summary"] and round_.closed_at is None:
            actions.do_close_round(round_, acting_user=owner_user, summary=spec["summary"])
            self.count("closed round", True)

    def load_card(self, spec):
        steps = [
            {"title": title, "role": role, "time_frame_minutes": minutes}
            for title, role, minutes in spec["steps"]
        ]
        card = self.document(spec, "action_card", checklist=card_actions.clean_checklist(steps))
        author = self.users[spec["author"]]
        network = Network.objects.get(slug=spec["share"]["network"])
        do_share_document(card, author, network=network)  # idempotent
        target = spec["apply_to"]
        if target is None:
            return
        incident = Incident.objects.filter(
            owner__slug=target["owner"], title=target["title"]
        ).first()
        if incident is None:
            self.stdout.write(
                f"  ({target['title']} is missing: run load_demo_incidents first; "
                "the card is not applied.)"
            )
            return
        applied = Task.objects.filter(incident=incident, card_version__document=card).exists()
        self.count("applied card", not applied)
        if not applied:
            card_actions.do_apply_card(card.versions.get(number=card.current_number), incident,
                                  acting_user=author)  # fmt: skip
