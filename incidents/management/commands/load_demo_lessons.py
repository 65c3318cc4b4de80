"""Load demo lessons learned and an exercise (run ``load_structure``, ``load_demo`` and
``load_demo_incidents`` first; the last is run here if its incidents are missing).

What it adds — the texts read like the city evaluations summarised in appendix 3 of
*Storbyenes samhandling om beredskap* (KPMG 2023) and the report's findings:

* lessons from Covid-19 (Bergen's and Stavanger's pandemic incidents): the value of the
  big-city network, reports sent up with nothing coming back, protective equipment
  stocks and joint procurement, communication with citizens in many languages, the
  regional local regulation, staff endurance, digital meetings;
* lessons from the extreme weather "Hans" (Drammen's flood incident): cooperation with
  the State Administrator, warning citizens, sandbags, volunteers;
* the exercise "Øvelse Vestland 2026 – langvarig strømbrudd" organised by the Vestland
  office with Bergen, Askøy, Øygarden and Bjørnafjorden, held, with Bergen's lessons.

Lessons are shared with SNB (Storbynettverk beredskap), KS Storbynettverk, the region or
everyone — one is left private — and their follow-up is taken step by step to its status,
so each lesson's history shows the steps. Every write goes through
``incidents.lessons.actions`` as the owning city's demo account.

Idempotent: lessons are matched on (owner, title), the exercise on (organiser, title);
sharing the same audience again is the same share. An existing lesson is left as it is.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from incidents.lessons import actions
from incidents.lessons.models import Exercise, Lesson, LessonStatus
from incidents.log.models import Incident
from networks.structure.models import Network, Office, Organisation
from portal.models import User

BERGEN = ("kommune-4601", "bergen.beredskap@demo.samvirke.no", "Beredskapssjef")
STAVANGER = ("kommune-1103", "stavanger.beredskap@demo.samvirke.no", "Beredskapssjef")
DRAMMEN = ("kommune-3301", "drammen.krisestab@demo.samvirke.no", "Kommunens kriseledelse")
VESTLAND_OFFICER = "vestland.statsforvalter@demo.samvirke.no"

COVID_BERGEN = "Koronapandemien i Bergen"
COVID_STAVANGER = "Koronapandemien i Stavanger"
HANS_DRAMMEN = "Ekstremværet Hans – flom i Drammenselva"

EXERCISE: dict[str, Any] = {
    "title": "Øvelse Vestland 2026 – langvarig strømbrudd",
    "scenario": "power_outage",
    "status": "held",
    "planned_for": date(2026, 10, 21),
    "held_on": date(2026, 10, 21),
    "description": (
        "Regional øvelse ledet av Statsforvaltaren i Vestland: langvarig strømbrudd midt "
        "på vinteren etter uvær, med bortfall av ekom, press på helse- og "
        "omsorgstjenestene og behov for varmesteder. Øvingsmål: varsling, "
        "situasjonsrapportering til Statsforvaltaren og samordning mellom nabokommuner."
    ),
    "participants": ["kommune-4601", "kommune-4627", "kommune-4626", "kommune-4624"],
}

#: (owner, source incident title or "exercise", area, status, shared with, title, what
#: happened, what worked, what failed, recommendation)
LESSONS = [
    (
        BERGEN, COVID_BERGEN, "cooperation", "verified", ["snb", "ks-storbynettverk"],
        "Storbynettverket ga rask erfaringsdeling under pandemien",
        "Gjennom pandemien møttes beredskapssjefene i storbyene digitalt, først daglig og "
        "siden ukentlig. Utkast til lokale forskrifter, tiltakskort og vurderinger av "
        "nasjonale føringer ble delt før de ble vedtatt.",
        "Byene fikk raskt vite hva de andre gjorde, og kunne gjenbruke hverandres "
        "forskrifter og maler i stedet for å lage alt selv.",
        "Nettverket var uformelt og avhengig av enkeltpersoner; Bærum og Drammen var ikke "
        "med, og det fantes ikke et felles sted å finne det som ble delt.",
        "Formaliser Storbynettverk beredskap som kompetansenav med faste møter, et felles "
        "bibliotek og alle de åtte storbyene som medlemmer.",
    ),
    (
        BERGEN, COVID_BERGEN, "state_administrator", "measure_decided", ["everyone"],
        "Vi sendte rapporter opp, men fikk lite tilbake",
        "Kommunen rapporterte situasjonen til Statsforvalteren flere ganger i uken, i "
        "ulike formater og til dels de samme tallene til flere mottakere.",
        "Da STAF-rapporteringen kom på plass, ble formatet enhetlig.",
        "Kommunen fikk sjelden se det sammenstilte regionale eller nasjonale bildet, og "
        "kunne ikke sammenligne seg med andre kommuner.",
        "Be om at det sammenstilte situasjonsbildet deles tilbake til kommunene hver gang, "
        "og bruk ett rapportformat for alle mottakere.",
    ),
    (
        BERGEN, COVID_BERGEN, "staffing", "implemented", ["snb"],
        "Utholdenhet i kriseledelsen under en langvarig krise",
        "Kriseledelsen og staben sto i en krise som varte i nesten to år. Nøkkelpersoner "
        "hadde svært høyt arbeidspress over lang tid.",
        "Stedfortredere ble utpekt for de viktigste rollene etter de første månedene.",
        "Planverket var laget for akutte kriser og hadde ikke rotasjon, avlastning eller "
        "ivaretakelse av ansatte i en langvarig krise.",
        "Legg inn rotasjonsplaner, stedfortredere i to ledd og oppfølging av ansatte i "
        "beredskapsplanen for langvarige kriser.",
    ),
    (
        BERGEN, COVID_BERGEN, "ict", "verified", ["snb"],
        "Digitale møter i kriseledelsen fra første helg",
        "Den første helgen etter nedstengingen ble det lagt til rette for digitale møter i "
        "hele organisasjonen, også for kriseledelsen og bystyret.",
        "Digitale møter ga bred og rask involvering av relevant personell og fagmiljøer.",
        "Lisenser, utstyr og opplæring måtte skaffes i all hast, og reserveløsninger manglet.",
        "Ha avtaler, lisenser og en reserveløsning for digitale møter klare i beredskapsplanen, "
        "og øv på dem.",
    ),
    (
        STAVANGER, COVID_STAVANGER, "procurement", "implemented", ["snb", "everyone"],
        "Beredskapslageret for smittevernutstyr tok ikke høyde for en langvarig pandemi",
        "Verken planverk eller lager for smittevernutstyr tok høyde for en langvarig og "
        "alvorlig pandemi uten vaksine. Lageret var nesten tomt etter få uker.",
        "Kommunen omprioriterte raskt og fikk hjelp fra nabokommunene.",
        "Markedet for smittevernutstyr brøt sammen, og kommunen konkurrerte med alle andre "
        "om det samme utstyret.",
        "Etabler rutiner for beredskapslager av smittevernutstyr dimensjonert for en "
        "langvarig pandemi, og avklar kommunens ansvar og statens rolle.",
    ),
    (
        STAVANGER, COVID_STAVANGER, "procurement", "verified", ["snb"],
        "Felles innkjøp av smittevernutstyr med nabokommunene",
        "Storbyene og nabokommunene gikk sammen om innkjøp og lagring av smittevernutstyr "
        "i den mest kritiske perioden.",
        "Felles innkjøp ga bedre priser og leveranser, og småkommunene fikk utstyr de ellers "
        "ikke ville fått.",
        "Fordelingsnøkkelen måtte forhandles fram under krisen.",
        "Avtal fordelingsnøkkel og rutiner for felles innkjøp før neste krise, gjerne "
        "gjennom storbynettverket.",
    ),
    (
        STAVANGER, COVID_STAVANGER, "communication", "measure_decided", ["ks-storbynettverk"],
        "Informasjon til innbyggerne på mange språk",
        "Smitten rammet grupper kommunen ikke nådde med informasjon på nett og i sosiale "
        "medier.",
        "Informasjon på ulike språk, oppsøkende arbeid og «verter» som spredte informasjon "
        "i sine miljøer nådde fram.",
        "Oversettelser kom sent, og kommunen manglet oversikt over hvem som ikke ble nådd.",
        "Bygg opp faste kanaler og nettverk av verter for grupper som er vanskelige å nå, "
        "og hold dem ved like også utenom kriser.",
    ),
    (
        STAVANGER, COVID_STAVANGER, "cooperation", "verified", ["snb"],
        "Felles lokal smittevernforskrift på Nord-Jæren",
        "De fire kommunene på Nord-Jæren samordnet lokale smitteverntiltak og forskrifter "
        "gjennom hele pandemien.",
        "Kommunene var enige om det meste, og innbyggerne fikk like regler i hele "
        "bo- og arbeidsregionen.",
        "Uenighet om enkelte tiltak tok tid å løse uten en fast arena.",
        "Formaliser det regionale samarbeidet med en fast arena og maler for felles lokale "
        "forskrifter, i linje med Statsforvalteren.",
    ),
    (
        DRAMMEN, HANS_DRAMMEN, "state_administrator", "implemented",
        ["ks-storbynettverk", "everyone"],
        "Samarbeidet med Statsforvalteren under ekstremværet «Hans»",
        "Under flommen i Drammenselva hadde kommunen tett kontakt med Statsforvalteren, NVE "
        "og nabokommunene om prognoser, evakuering og bistand.",
        "Statsforvalterens samordningsmøter ga et felles bilde og rask avklaring av bistand "
        "fra Sivilforsvaret.",
        "Rapporteringen til Statsforvalteren og til fagmyndighetene gikk i ulike formater "
        "og tok tid fra kriseledelsen.",
        "Avtal faste kontaktpunkter og ett rapportformat med Statsforvalteren før neste "
        "uværssesong.",
    ),
    (
        DRAMMEN, HANS_DRAMMEN, "communication", "identified", ["ks-storbynettverk"],
        "Varsling av innbyggere i flomutsatte områder",
        "Innbyggere langs elva og i utsatte boligområder måtte varsles om mulig evakuering "
        "på kort tid.",
        "Egen side om «Hans» på kommunens nettsted ble oppdatert jevnlig og mye brukt.",
        "Befolkningsvarsling via SMS nådde ikke alle, blant annet tilreisende og de som ikke "
        "er registrert på adressen.",
        "Gå gjennom varslingslistene for flomutsatte områder og øv befolkningsvarsling "
        "sammen med nabokommunene.",
    ),
    (
        DRAMMEN, HANS_DRAMMEN, "procurement", "measure_decided", [],
        "Lager og fordeling av sandsekker",
        "Kommunen trengte 5 000 sandsekker i løpet av et døgn.",
        "Driftsavdelingen og frivillige fylte og fordelte sekkene.",
        "Lageret var for lite, og det var uklart hvem som hadde ansvaret for fordelingen.",
        "Øk beredskapslageret og lag et tiltakskort for fylling og fordeling av sandsekker.",
    ),
    (
        DRAMMEN, HANS_DRAMMEN, "cooperation", "identified", ["ks-storbynettverk"],
        "Frivillige organisasjoner som ressurs i krisehåndteringen",
        "Frivillige organisasjoner bidro med mannskap, forpleining og transport under flommen.",
        "Innsatsen var stor og rask.",
        "De frivillige var ikke integrert i kommunens kriseorganisasjon og planverk, og "
        "koordineringen skjedde ad hoc.",
        "Ta frivillig sektors rolle inn i beredskapsplanverket, med avtaler og faste "
        "kontaktpersoner.",
    ),
    (
        BERGEN, "exercise", "infrastructure", "measure_decided", ["office"],
        "Drivstoff til aggregater må avtales før strømbruddet",
        "I øvelsen gikk aggregatene på sykehjem og varmestuer tom for drivstoff etter to døgn.",
        "Prioriteringslisten for aggregater fungerte.",
        "Kommunen hadde ingen avtale om prioritert levering av drivstoff.",
        "Inngå avtale om prioritert drivstofflevering og hold oversikt over aggregater og "
        "forbruk.",
    ),
    (
        BERGEN, "exercise", "ict", "identified", ["office"],
        "Situasjonsrapport til Statsforvaltaren uten ekom",
        "Da mobilnett og internett falt ut, kunne kommunen ikke sende situasjonsrapport på "
        "vanlig måte.",
        "Nødnett og satellittelefon ga kontakt med Statsforvaltaren.",
        "Rutinen for rapportering uten ekom var ikke kjent for staben.",
        "Lag en reserverutine for situasjonsrapportering uten ekom, og øv den årlig.",
    ),
]  # fmt: skip

STEPS = [s.value for s in LessonStatus]


class Command(BaseCommand):
    help = "Load demo lessons learned (Covid-19, «Hans») and a held regional exercise."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_lessons writes fictional lessons under demo accounts.")
        emails = {BERGEN[1], STAVANGER[1], DRAMMEN[1], VESTLAND_OFFICER}
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if set(users) != emails:
            raise CommandError("Run `manage.py load_demo` first (the demo accounts are missing).")
        titles = {COVID_BERGEN, COVID_STAVANGER, HANS_DRAMMEN}
        if Incident.objects.filter(title__in=titles).count() < len(titles):
            call_command("load_demo_incidents", verbosity=0)
        self.counts = Counter()
        with transaction.atomic():
            exercise = self.load_exercise(users[VESTLAND_OFFICER])
            for spec in LESSONS:
                self.load_lesson(spec, users, exercise)
        self.stdout.write(
            "Demo lessons: "
            + ", ".join(f"{key} {n}" for key, n in sorted(self.counts.items()))
            + "."
        )

    def load_exercise(self, officer) -> Exercise:
        owner = Organisation.objects.get(slug="statsforvalteren-vestland")
        exercise = Exercise.objects.filter(owner=owner, title=EXERCISE["title"]).first()
        if exercise is not None:
            self.counts["exercise unchanged"] += 1
            return exercise
        spec = dict(EXERCISE)
        participants = list(Organisation.objects.filter(slug__in=spec.pop("participants")))
        exercise = actions.do_create_exercise(
            owner=owner, acting_user=officer, participants=participants, **spec
        )
        self.counts["exercise created"] += 1
        return exercise

    def load_lesson(self, spec, users, exercise):
        (owner_slug, email, role), source, area, status, audiences, title = spec[:6]
        what_happened, what_worked, what_failed, recommendation = spec[6:]
        owner = Organisation.objects.get(slug=owner_slug)
        author = users[email]
        lesson = Lesson.objects.filter(owner=owner, title=title).first()
        if lesson is None:
            link = (
                {"source": "exercise", "exercise": exercise}
                if source == "exercise"
                else {
                    "source": "incident",
                    "incident": Incident.objects.get(owner=owner, title=source),
                }
            )
            lesson = actions.do_create_lesson(
                owner=owner,
                acting_user=author,
                title=title,
                area=area,
                what_happened=what_happened,
                what_worked=what_worked,
                what_failed=what_failed,
                recommendation=recommendation,
                responsible=author,
                responsible_role=role,
                **link,
            )
            # Step by step, so the lesson's history shows its follow-up.
            for step in STEPS[1 : STEPS.index(status) + 1]:
                lesson = actions.do_set_lesson_status(lesson, step, acting_user=author)
            self.counts["lessons created"] += 1
        else:
            self.counts["lessons unchanged"] += 1
        for audience in audiences:
            if audience == "everyone":
                kwargs = {"everyone": True}
            elif audience == "office":
                kwargs = {"office": Office.objects.get(pk=owner.region_id)}
            else:
                kwargs = {"network": Network.objects.get(slug=audience)}
            actions.do_share_lesson(lesson, acting_user=author, **kwargs)
