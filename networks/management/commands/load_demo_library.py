"""Load the demo library. Run after ``load_structure`` and ``load_demo``.

What it adds:

* Stavanger's draft "Lokal forskrift om smitteverntiltak i Stavanger kommune" (version 1),
  shared with Nord-Jæren; Sandnes, Sola and Randaberg adopt version 1 into their own
  libraries; Stavanger then publishes version 2 (longer duration, a changed limit for
  events, a new section on visits to health institutions), so each adopter's writers get
  one notification with a link to the diff between version 1 and 2;
* KS's "Mal for evaluering av kommunens håndtering av koronapandemien" (evaluation
  template, shared with everyone in Samvirke);
* DSB's "Mal for overordnet beredskapsplan" (plan template, shared with everyone);
* Bergen's "Veileder: evakuering ved flom og skred" (guide, shared with SNB).

Actors are the demo accounts of portal/demo.py where they exist (Stavanger, Sandnes, KS,
DSB, Bergen). Sola and Randaberg have none: each gets a dedicated demo author
(``demo-bibliotek-<kommunenummer>``, emergency manager, no usable password) who is active
only while adopting — as the reporting demo's reporters — so it never receives
notifications and cannot log in.

Idempotent: documents are matched on (owner, title), adoptions on (source,
organisation), shares are idempotent, and version 2 is written only while the draft is at
version 1. A second run writes nothing. Every write goes through
``networks.library.actions``.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from networks.library import actions
from networks.library.models import Adoption, Document
from networks.structure.models import Network, Organisation
from portal.access import forget_viewer
from portal.models import RoleAssignment, User
from portal.roles import Role

STAVANGER = "stavanger.beredskap@demo.samvirke.no"
SANDNES = "sandnes.beredskap@demo.samvirke.no"
BERGEN = "bergen.beredskap@demo.samvirke.no"
KS = "ks.analytiker@demo.samvirke.no"
DSB = "dsb.analytiker@demo.samvirke.no"
AUTHOR_PREFIX = "demo-bibliotek-"
AUTHORS = {"1124": ("Sola kommune", "Solveig", "Tananger"),
           "1127": ("Randaberg kommune", "Rune", "Goa")}  # fmt: skip

REGULATION_TITLE = "Lokal forskrift om smitteverntiltak i Stavanger kommune"

REGULATION_V1 = """\
Forskrift om smitteverntiltak for å forebygge og begrense spredning av covid-19, \
Stavanger kommune, Rogaland.

Hjemmel: Fastsatt av Stavanger bystyre etter lov 5. august 1994 nr. 55 om vern mot \
smittsomme sykdommer (smittevernloven) § 4-1 første ledd og femte ledd.

### § 1 Formål

Formålet med forskriften er å forebygge og begrense spredning av covid-19 i befolkningen \
og hindre overbelastning av helse- og omsorgstjenesten i kommunen og regionen.

### § 2 Virkeområde

Forskriften gjelder for alle som oppholder seg i Stavanger kommune.

### § 3 Arrangementer

På offentlige arrangementer innendørs uten faste tilviste plasser kan det være inntil \
50 personer til stede. På arrangementer med faste tilviste plasser kan det være inntil \
200 personer til stede. Arrangøren skal sørge for at deltakerne kan holde minst \
1 meters avstand.

### § 4 Serveringssteder

Serveringssteder med skjenkebevilling skal stanse skjenking av alkohol kl. 24.00. \
Gjester skal sitte ved bord.

### § 5 Munnbind

Det skal brukes munnbind på offentlig transport og i butikker og kjøpesentre der det ikke \
er mulig å holde minst 1 meters avstand. Kravet gjelder ikke barn under 12 år eller \
personer som av medisinske grunner ikke kan bruke munnbind.

### § 6 Varighet

Forskriften trer i kraft straks og gjelder til og med 14 dager etter ikrafttredelse.
"""

REGULATION_V2 = """\
Forskrift om smitteverntiltak for å forebygge og begrense spredning av covid-19, \
Stavanger kommune, Rogaland.

Hjemmel: Fastsatt av Stavanger bystyre etter lov 5. august 1994 nr. 55 om vern mot \
smittsomme sykdommer (smittevernloven) § 4-1 første ledd og femte ledd.

### § 1 Formål

Formålet med forskriften er å forebygge og begrense spredning av covid-19 i befolkningen \
og hindre overbelastning av helse- og omsorgstjenesten i kommunen og regionen.

### § 2 Virkeområde

Forskriften gjelder for alle som oppholder seg i Stavanger kommune.

### § 3 Arrangementer

På offentlige arrangementer innendørs uten faste tilviste plasser kan det være inntil \
20 personer til stede. På arrangementer med faste tilviste plasser kan det være inntil \
100 personer til stede. Arrangøren skal sørge for at deltakerne kan holde minst \
1 meters avstand og føre oversikt over deltakerne for smittesporing.

### § 4 Serveringssteder

Serveringssteder med skjenkebevilling skal stanse skjenking av alkohol kl. 22.00. \
Gjester skal sitte ved bord.

### § 5 Munnbind

Det skal brukes munnbind på offentlig transport og i butikker og kjøpesentre der det ikke \
er mulig å holde minst 1 meters avstand. Kravet gjelder ikke barn under 12 år eller \
personer som av medisinske grunner ikke kan bruke munnbind.

### § 6 Besøk i helseinstitusjoner

Besøk i sykehjem og andre helseinstitusjoner skal skje etter avtale med institusjonen. \
Besøkende med luftveissymptomer skal ikke komme på besøk.

### § 7 Varighet

Forskriften trer i kraft straks og gjelder til og med 28 dager etter ikrafttredelse. \
Kommunedirektøren vurderer tiltakene fortløpende i samråd med kommuneoverlegen.
"""

KS_TEMPLATE = """\
Malen er laget for kommuner som vil evaluere sin håndtering av koronapandemien. Den kan \
brukes for hele pandemiperioden eller for én fase. KS anbefaler at evalueringen gjøres \
sammen med tillitsvalgte, og at resultatene deles med nabokommunene og statsforvalteren.

## 1 Om evalueringen

- Periode og faser som evalueres
- Hvem som har deltatt (kriseledelse, tjenester, tillitsvalgte, brukerrepresentanter)
- Datagrunnlag: logger, møtereferater, rapporter til statsforvalteren, spørreundersøkelser

## 2 Kriseledelse og beslutninger

- Hvor raskt ble kriseledelsen etablert, og fungerte den over tid?
- Var rollefordelingen mellom politisk og administrativ ledelse tydelig?
- Hvordan ble lokale forskrifter forberedt, vedtatt og kunngjort?

## 3 Samhandling

- Med statsforvalteren: rapportering, informasjon tilbake, kommunemøter
- Med nabokommunene og storbyen i regionen: felles forskrifter, innkjøp, kapasitet
- Med helseforetaket og nasjonale myndigheter

## 4 Tjenestene

- Helse og omsorg: testing, smittesporing, vaksinering, sykehjem
- Oppvekst: skoler og barnehager, trafikklysmodellen
- Næringsliv og kultur: kompensasjon og dialog

## 5 Kommunikasjon

- Informasjon til innbyggerne, også på andre språk enn norsk
- Informasjon til ansatte

## 6 Læringspunkter og oppfølging

For hvert læringspunkt: hva skjedde, hva fungerte eller sviktet, anbefaling, ansvarlig og \
frist for oppfølging.
"""

PLAN_TEMPLATE = """\
Malen følger kravene i forskrift om kommunal beredskapsplikt § 4 og er ment som et \
utgangspunkt for kommunens overordnede beredskapsplan. Tilpass den til kommunens \
helhetlige risiko- og sårbarhetsanalyse.

## 1 Plan for kommunens kriseledelse

Hvem som inngår i kriseledelsen, hvem som har myndighet til å sette den, stedfortredere, \
og hvor kriseledelsen møtes (med reservelokale).

## 2 Varslingsliste

Varslingsliste over aktører som har en rolle i kommunens krisehåndtering, og rutiner for \
å holde den oppdatert.

## 3 Ressursoversikt

Oversikt over hvilke ressurser kommunen selv har, og hvilke som kan skaffes fra andre \
(§ 4 bokstav c), herunder avtaler om bistand med nabokommuner.

## 4 Evakueringsplaner

Planer for evakuering og varsling av befolkningen, med evakuerte- og pårørendesenter.

## 5 Plan for krisekommunikasjon

Plan for krisekommunikasjon med befolkningen, media og egne ansatte.

## 6 Øvelser og evaluering

Plan for øvelser (minst annethvert år) og for evaluering etter øvelser og hendelser.
"""

GUIDE = """\
Veilederen beskriver hvordan Bergen kommune planlegger og gjennomfører evakuering ved flom \
og skred, og deles med storbyene i SNB som erfaringsgrunnlag.

## Før hendelsen

- Kartlegg boligområder i flom- og skredutsatte soner (NVE Atlas) og sårbare innbyggere.
- Avtal evakuerte- og pårørendesenter (EPS) med skoler og idrettshaller.
- Avklar transport med kollektivselskapet og drosjesentralen.

## Når farevarsel er sendt

- Sett kriseledelsen på gult nivå og vurder forhåndsevakuering.
- Varsle innbyggerne i utsatte områder med lokasjonsbasert varsling.
- Meld status til statsforvalteren.

## Under evakueringen

- Politiet beslutter tvangsevakuering; kommunen sørger for EPS, forpleining og informasjon.
- Registrer evakuerte og gi pårørende ett telefonnummer å ringe.

## Etter hendelsen

- Vurder når det er trygt å flytte tilbake, sammen med NVE og geotekniker.
- Evaluer og del læringspunktene med nettverket.
"""


def _user(email):
    user = User.objects.filter(email=email).first()
    if user is None:
        raise CommandError(f"Demo account {email} is missing: run load_demo first.")
    return user


@contextmanager
def _active(user):
    """A demo author acts only while it adopts (viewer_for refuses inactive users)."""
    was_active = user.is_active
    if not was_active:
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        forget_viewer(user)
    try:
        yield user
    finally:
        if not was_active:
            User.objects.filter(pk=user.pk).update(is_active=False)
            user.is_active = False
            forget_viewer(user)


def _author(number):
    organisation_name, first, last = AUTHORS[number]
    organisation = Organisation.objects.get(slug=f"kommune-{number}")
    user, _ = User.objects.get_or_create(
        username=AUTHOR_PREFIX + number,
        defaults={
            "email": f"{AUTHOR_PREFIX}{number}@demo.samvirke.invalid",
            "first_name": first,
            "last_name": last,
            "password": make_password(None),
            "is_active": False,
        },
    )
    RoleAssignment.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=Role.EMERGENCY_MANAGER,
        defaults={"title": "Beredskapskoordinator"},
    )
    return user, organisation


class Command(BaseCommand):
    help = "Load the demo library (Stavanger's local regulation adopted in Nord-Jæren, templates)."

    def handle(self, *args, **options):
        self.written = 0
        with transaction.atomic():
            self.regulation()
            self.templates()
        self.stdout.write(f"Demo library: {self.written} writes.")

    def document(self, owner_slug, email, kind, title, topic, body):
        owner = Organisation.objects.get(slug=owner_slug)
        document = Document.objects.filter(owner=owner, title=title).first()
        if document is None:
            document = actions.do_create_document(
                owner, _user(email), kind, title, topic, body, change_note="Første utkast"
            )
            self.written += 1
        return document

    def share(self, document, email, **audience):
        if not document.shares.filter(**{k: v for k, v in audience.items()}).exists():
            actions.do_share_document(document, _user(email), **audience)
            self.written += 1

    def regulation(self):
        draft = self.document(
            "kommune-1103", STAVANGER, "local_regulation", REGULATION_TITLE, "Smittevern",
            REGULATION_V1,
        )  # fmt: skip
        self.share(draft, STAVANGER, network=Network.objects.get(slug="nord-jaeren"))
        adopters = [(_user(SANDNES), Organisation.objects.get(slug="kommune-1108"))]
        adopters += [_author(number) for number in AUTHORS]
        for user, organisation in adopters:
            if Adoption.objects.filter(source=draft, organisation=organisation).exists():
                continue
            with _active(user):
                actions.do_adopt(draft, user, organisation)
            self.written += 1
        if draft.current_number == 1:
            actions.do_new_version(
                draft,
                acting_user=_user(STAVANGER),
                title=REGULATION_TITLE,
                body=REGULATION_V2,
                change_note="Skjerpet grensene for arrangementer og skjenking, nytt § 6 om "
                "besøk i helseinstitusjoner, varighet 28 dager",
                expected_number=1,
            )
            self.written += 1

    def templates(self):
        ks = self.document(
            "ks", KS, "evaluation_template",
            "Mal for evaluering av kommunens håndtering av koronapandemien", "Pandemi",
            KS_TEMPLATE,
        )  # fmt: skip
        self.share(ks, KS, everyone=True)
        plan = self.document(
            "dsb", DSB, "plan_template", "Mal for overordnet beredskapsplan",
            "Beredskapsplanlegging", PLAN_TEMPLATE,
        )  # fmt: skip
        self.share(plan, DSB, everyone=True)
        guide = self.document(
            "kommune-4601", BERGEN, "guide", "Veileder: evakuering ved flom og skred",
            "Flom og skred", GUIDE,
        )  # fmt: skip
        self.share(guide, BERGEN, network=Network.objects.get(slug="snb"))
