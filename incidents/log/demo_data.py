"""The demo incidents and their logs, loaded by ``manage.py load_demo_incidents``.

Plain data, no Django: crisis frames, and per incident its facts, log entries, shares and
tasks. Times are Europe/Oslo wall-clock times ("YYYY-MM-DD HH:MM"). Entry keys are stable:
with the incident key they make each entry's idempotency key (``demo:hans:drammen:07``),
so a re-run writes nothing. Never renumber an entry that has been loaded somewhere; add new
ones with new keys.

The texts are fictional but follow what happened and what the report *Storbyenes
samhandling om beredskap* (2023) describes: the flood in Drammenselva during the extreme
weather "Hans" (Drammen in contact with NVE, the State Administrator in the preparedness
track), and the pandemic (testing, contact tracing, local regulations shared with the
neighbours, Nord-Jæren's joint regulations, procurement of protective equipment, weekly
municipal meetings with the State Administrator). Before 2021 the State Administrator was
called Fylkesmannen, and in 2023 the office for Buskerud was Statsforvalteren i Oslo og
Viken; the logs use the names of their day. People are not named; the one entry with
personal data is marked exempt from public disclosure.
"""

from __future__ import annotations

from typing import NamedTuple

DECISION = "decision"
ACTION = "action"
MESSAGE_IN = "message_in"
MESSAGE_OUT = "message_out"
ASSESSMENT = "assessment"
INFORMATION = "information"

#: offentleglova § 13 (duty of confidentiality) with forvaltningsloven § 13: personal data.
PERSONAL_DATA = "Offentleglova § 13, jf. forvaltningsloven § 13 første ledd nr. 1"


class Entry(NamedTuple):
    key: str
    at: str
    kind: str
    text: str
    corrects: str | None = None  # key of the entry this one corrects or retracts
    correction: str = ""  # "correction" or "retraction"
    exempt_basis: str = ""  # set: the entry is exempt from public disclosure
    links: tuple[str, ...] = ()  # keys of related entries
    answers: str | None = None  # "incident key:entry key" of an entry in another log


DRAMMEN = "drammen.krisestab@demo.samvirke.no"
BERGEN = "bergen.beredskap@demo.samvirke.no"
STAVANGER = "stavanger.beredskap@demo.samvirke.no"
TRONDHEIM = "snb.koordinator@demo.samvirke.no"
DSB_ANALYST = "dsb.analytiker@demo.samvirke.no"
VESTLAND_OFFICER = "vestland.statsforvalter@demo.samvirke.no"

OFFICE_EAST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
OFFICE_VESTLAND = "statsforvalteren-vestland"

FRAMES = {
    "hans": {
        "title": "Ekstremværet Hans",
        "type": "extreme_weather",
        "owner": "dsb",
        "created_by": DSB_ANALYST,
        "started_at": "2023-08-06 12:00",
        "ended_at": "2023-08-10 20:00",
        "is_exercise": False,
        "description": (
            "Ekstremværet «Hans» ga svært store nedbørmengder på Østlandet 6.–10. august "
            "2023, med rødt farevarsel for regn og flom, flom i Drammensvassdraget og "
            "Glomma, jord- og flomskred, stengte veier og jernbane og evakuering i flere "
            "kommuner i Innlandet og Buskerud. DSB samordnet det nasjonale situasjonsbildet "
            "gjennom statsforvalterne."
        ),
    },
    "covid": {
        "title": "Covid-19",
        "type": "pandemic",
        # Registered by DSB (the coordination channel): a frame is held by the
        # organisation of the analyst who creates it, and the demo has no account at
        # Helsedirektoratet.
        "owner": "dsb",
        "created_by": DSB_ANALYST,
        "started_at": "2020-03-12 00:00",
        "ended_at": "2022-02-12 00:00",
        "is_exercise": False,
        "description": (
            "Koronapandemien. Helsedirektoratet vedtok 12. mars 2020 nasjonale tiltak etter "
            "smittevernloven; kommunene hadde hovedansvaret for testing, isolering, "
            "smittesporing og karantene (TISK), lokale forskrifter og vaksinasjon. "
            "Rapportering i fagsporet via Fylkesmannen/Statsforvalteren til "
            "Helsedirektoratet. De fleste nasjonale tiltak ble opphevet 12. februar 2022."
        ),
    },
    "ovelse-vestland-2026": {
        "title": "Øvelse Vestland 2026 – langvarig strømbrudd",
        "type": "power_outage",
        "owner": OFFICE_VESTLAND,
        "created_by": VESTLAND_OFFICER,
        "started_at": "2026-10-21 08:30",
        "ended_at": "2026-10-22 15:00",
        "is_exercise": True,
        "description": (
            "Regional øvelse ledet av Statsforvaltaren i Vestland for kommunene i fylket: "
            "langvarig og omfattende strømbrudd midt på vinteren etter uvær, med bortfall "
            "av ekom, press på helse- og omsorgstjenestene og behov for "
            "evakuerings- og varmesteder. Øvingsmål: varsling, situasjonsrapportering til "
            "Statsforvaltaren og samordning mellom nabokommuner."
        ),
    },
}


HANS_DRAMMEN = [
    Entry("01", "2023-08-06 13:40", MESSAGE_IN,
          "Farevarsel videresendt fra Statsforvalteren i Oslo og Viken: Meteorologisk "
          "institutt har sendt **rødt farevarsel** for store nedbørmengder (ekstremværet "
          "«Hans») for deler av Buskerud og Innlandet fra mandag til onsdag. Ventet "
          "80–120 mm på 48 timer, lokalt mer."),
    Entry("02", "2023-08-06 16:15", ASSESSMENT,
          "Beredskapsvakten vurderer fare for flom i Drammenselva og sideelvene, overvann i "
          "sentrum og jord- og flomskred i bratte områder på Konnerud og i Skoger. Anbefaler "
          "at kommunens kriseledelse settes mandag morgen."),
    Entry("03", "2023-08-07 07:30", DECISION,
          "Kommunens kriseledelse er satt, ledet av kommunedirektøren. Til stede: "
          "kommunalsjefene, kommuneoverlegen, beredskapssjefen, kommunikasjonssjefen, "
          "Drammen drift, Drammensregionens brannvesen og Sør-Øst politidistrikt (på "
          "Teams). Møter kl. 08.00 og 15.00 inntil videre."),
    Entry("04", "2023-08-07 08:20", ACTION,
          "Drammen drift legger ut sandsekker og mobile flomvoller langs elva i Mjøndalen "
          "og Krokstadelva og ved Bragernes. Bestilt 5 000 sandsekker i tillegg til "
          "lageret."),
    Entry("05", "2023-08-07 09:05", MESSAGE_OUT,
          "Informasjon til innbyggerne på drammen.kommune.no og i kommunens kanaler i "
          "sosiale medier: sikre eiendeler i kjeller, hold deg unna elvebredden, følg med "
          "på varsler fra kommunen. Egen side om «Hans» opprettet; oppdateres minst hver "
          "tredje time."),
    Entry("06", "2023-08-07 11:30", MESSAGE_IN,
          "NVE har sendt rødt farevarsel for flom i Drammensvassdraget. Flomtoppen i nedre "
          "del av Drammenselva ventes torsdag–fredag. Vannføringen kan bli den høyeste på "
          "flere tiår. NVEs regionkontor er kontaktet; fast kontaktperson avtalt."),
    Entry("07", "2023-08-07 15:00", ASSESSMENT,
          "Situasjonsbilde kl. 15: 42 mm nedbør siste døgn i sentrum. Overvann på Strømsø "
          "torg og i Tollbugata, ingen personskader. Vannstanden i Drammenselva stiger "
          "jevnt. Helse, vann og avløp og IKT i normal drift."),
    Entry("08", "2023-08-07 16:10", MESSAGE_OUT,
          "Situasjonsrapport nr. 1 sendt Statsforvalteren. Kriseledelse satt, tiltak mot "
          "flom og overvann i gang, ingen behov for bistand foreløpig.", links=("07",)),
    Entry("09", "2023-08-08 07:45", MESSAGE_IN,
          "Glitre Nett melder strømbrudd for om lag 1 800 kunder på Konnerud og i Skoger "
          "etter trefall over linjer. Feilretting pågår, ventet gjenoppretting i løpet av "
          "ettermiddagen."),
    Entry("10", "2023-08-08 08:15", ACTION,
          "Hjemmetjenesten: bruker (f. 1941) i Skoger med hjemmerespirator står uten strøm. "
          "Datter er varslet; brukeren flyttes til korttidsplass kl. 09.30. To andre "
          "brukere med trygghetsalarm i området er ringt opp og klarer seg.",
          exempt_basis=PERSONAL_DATA),
    Entry("11", "2023-08-08 09:30", DECISION,
          "Kriseledelsen vedtar å forberede evakuering av lavtliggende boliger langs "
          "Drammenselva i Mjøndalen og Krokstadelva. Evakuerte- og pårørendesenter (EPS) "
          "klargjøres på Mjøndalen ungdomsskole. Endelig beslutning etter NVEs prognose "
          "kl. 12."),
    Entry("12", "2023-08-08 10:40", INFORMATION,
          "Vannstanden ved målestasjonen Døvikfoss er 6,2 m og stiger med om lag 8 cm i "
          "timen."),
    Entry("13", "2023-08-08 11:05", INFORMATION,
          "Retting av føringen kl. 10.40: vannstanden ved Døvikfoss var 5,2 m, ikke 6,2 m "
          "(skrivefeil). Stigningen på om lag 8 cm i timen stemmer.",
          corrects="12", correction="correction"),
    Entry("14", "2023-08-08 12:20", MESSAGE_IN,
          "Ny prognose fra NVE: flomtoppen ved Mjøndalen ventes torsdag 10. august, om lag "
          "70 cm over dagens nivå. Flomvollene ved Krokstadelva kan bli overtoppet."),
    Entry("15", "2023-08-08 12:45", DECISION,
          "Kriseledelsen beslutter evakuering av om lag 160 husstander i lavtliggende deler "
          "av Mjøndalen og Krokstadelva innen onsdag kl. 12. EPS åpner på Mjøndalen "
          "ungdomsskole kl. 16. Politiet er orientert og enig.", links=("11", "14")),
    Entry("16", "2023-08-08 13:10", MESSAGE_IN,
          "Statsforvalteren ber om status for evakueringen og eventuelle behov for bistand, "
          "frist kl. 15."),
    Entry("17", "2023-08-08 14:00", ACTION,
          "Anmodning om bistand sendt Sivilforsvaret: mannskaper til dørbanking og flomvoller "
          "i Mjøndalen, og strømaggregat og lys til EPS."),
    Entry("18", "2023-08-08 14:50", MESSAGE_OUT,
          "Til Lier kommune: Drammen har 1 500 sandsekker og to lensepumper som kan lånes ut "
          "ved behov for Lierelva. Ta kontakt med kriseledelsens stab på "
          "beredskapstelefonen. Statsforvalteren er orientert."),
    Entry("19", "2023-08-08 15:30", MESSAGE_OUT,
          "Situasjonsrapport nr. 2 sendt Statsforvalteren: evakuering besluttet, EPS "
          "etablert, bistand fra Sivilforsvaret anmodet. Behov: ekstra pumpekapasitet.",
          links=("15", "17")),
    Entry("20", "2023-08-08 18:20", INFORMATION,
          "Glitre Nett bekrefter at strømmen er tilbake for alle kunder på Konnerud og i "
          "Skoger fra kl. 18.05."),
    Entry("21", "2023-08-08 21:40", INFORMATION,
          "Melding om strømbrudd i hele Gulskogen-området."),
    Entry("22", "2023-08-08 22:10", INFORMATION,
          "Føringen kl. 21.40 trekkes tilbake: Glitre Nett bekrefter at det ikke har vært "
          "strømbrudd på Gulskogen. Meldingen gjaldt en utløst sikring i én bygning.",
          corrects="21", correction="retraction"),
    Entry("23", "2023-08-09 07:00", ASSESSMENT,
          "Natten uten store hendelser. Vannstand Døvikfoss 5,9 m. Rv. 283 mellom Mjøndalen "
          "og Hokksund er stengt av Statens vegvesen; sju kommunale veier i Skoger og på "
          "Konnerud er stengt etter utglidninger."),
    Entry("24", "2023-08-09 09:00", ACTION,
          "Sivilforsvaret er på plass med 25 mannskaper. Dørbanking i evakueringsområdet "
          "startet kl. 09.00 sammen med politiet.", links=("17",)),
    Entry("25", "2023-08-09 11:50", INFORMATION,
          "Evakueringen er gjennomført: 158 husstander kontaktet, 41 personer registrert på "
          "EPS, ni trenger overnatting (hotell ordnet)."),
    Entry("26", "2023-08-09 14:00", MESSAGE_IN,
          "Drammen drift: avløpspumpestasjonen i Mjøndalen er stanset av innlekking, fare "
          "for overløp til elva. Drikkevannet fra Glitrevannverket er ikke berørt; prøvene "
          "fra to høydebasseng er i orden."),
    Entry("27", "2023-08-09 15:20", MESSAGE_OUT,
          "Pressemelding: Drikkevannet i Drammen er trygt. Unngå bading og kontakt med "
          "flomvann i Drammenselva på grunn av mulig kloakkforurensning.", links=("26",)),
    Entry("28", "2023-08-10 08:00", ASSESSMENT,
          "Flomtoppen ved Mjøndalen ble nådd i natt; vannstanden synker nå svakt. "
          "Flomvollene holdt. Vann i kjelleren i 14 boliger utenfor evakueringsområdet. "
          "Ingen personskader."),
    Entry("29", "2023-08-10 12:00", DECISION,
          "Evakuerte kan flytte hjem fra fredag kl. 10 etter befaring. Kriseledelsen møtes "
          "én gang daglig, kl. 09.00."),
    Entry("30", "2023-08-14 09:00", DECISION,
          "Kriseledelsen avvikles. Videre oppfølging i linjen (Drammen drift og Drammen "
          "eiendom). Håndteringen evalueres etter KS' evalueringsmal; læringspunkter deles "
          "med nabokommunene og Statsforvalteren."),
]  # fmt: skip


COVID_BERGEN = [
    Entry("01", "2020-03-12 08:00", DECISION,
          "Bergen kommunes kriseledelse er satt. Beredskapssjefen er stabssjef; "
          "kommuneoverlegen leder helsefaglig stab. Daglige møter kl. 09.00."),
    Entry("02", "2020-03-12 18:30", MESSAGE_IN,
          "Helsedirektoratet har vedtatt å stenge barnehager, skoler, universiteter og "
          "høyskoler fra i kveld (smittevernloven § 4-1). Gjelder foreløpig i to uker."),
    Entry("03", "2020-03-13 07:30", DECISION,
          "Alle barnehager og skoler i Bergen er stengt. Tilbud til barn av ansatte i "
          "kritiske samfunnsfunksjoner fra mandag; oversikt over kritiske funksjoner innen "
          "kl. 14 i dag."),
    Entry("04", "2020-03-13 11:00", ASSESSMENT,
          "Testkapasitet: legevakten kan teste om lag 150 personer i døgnet. Vurderes som "
          "for lite; prøvetakingsutstyr og analysekapasitet hos Helse Bergen er "
          "flaskehalsen."),
    Entry("05", "2020-03-14 10:00", ACTION,
          "Innkjøp av smittevernutstyr: bestilt munnbind, visir, frakker og hansker for "
          "fire ukers forbruk. Forespørsel til Helse Bergen om samordning av lager og "
          "fordeling til sykehjem og hjemmetjenester."),
    Entry("06", "2020-03-16 12:00", INFORMATION,
          "Smittesporingsteam etablert med 25 årsverk omdisponert fra skolehelsetjenesten "
          "og helsestasjonene. Registrering i felles regneark inntil videre."),
    Entry("07", "2020-03-20 09:00", MESSAGE_IN,
          "Fylkesmannen i Vestland innkaller til ukentlig kommunemøte på Teams hver tirsdag "
          "og ber om ukentlig statusrapport i felles skjema innen mandag kl. 12."),
    Entry("08", "2020-03-23 11:40", MESSAGE_OUT,
          "Statusrapport uke 13 sendt Fylkesmannen: 212 bekreftet smittede, 9 innlagt. "
          "Smittevernutstyr til om lag tre uker. Behov: analysekapasitet og veiledning om "
          "karantene for helsepersonell.", links=("07",)),
    Entry("09", "2020-04-02 08:30", ACTION,
          "Drive-in-teststasjon åpnet ved legevakten; kapasiteten økt til om lag 400 tester "
          "i døgnet."),
    Entry("10", "2020-04-20 07:00", INFORMATION,
          "Barnehagene er gjenåpnet med smittevernveileder. Skolene 1.–4. trinn følger "
          "27. april."),
    Entry("11", "2020-11-01 14:00", DECISION,
          "Kommuneoverlegen vedtar hasteforskrift etter smittevernloven § 4-1 femte ledd: "
          "skjenkestopp kl. 22.00, påbud om munnbind på offentlig transport og "
          "anbefalt hjemmekontor. Gjelder fra 01.11. kl. 00.00."),
    Entry("12", "2020-11-01 15:10", DECISION,
          "Retting: hasteforskriften gjelder fra 02.11. kl. 00.00, ikke 01.11.",
          corrects="11", correction="correction"),
    Entry("13", "2020-11-03 10:00", MESSAGE_OUT,
          "Utkast til lokal forskrift sendt Fylkesmannen og nabokommunene Askøy, Bjørnafjorden, "
          "Øygarden og Alver med tilbud om å bruke den som mal."),
    Entry("14", "2020-12-28 09:00", INFORMATION,
          "De første vaksinedosene er satt på sykehjem i Bergen. Plan for massevaksinasjon "
          "etter FHIs prioriteringsrekkefølge legges fram for kriseledelsen 4. januar."),
    Entry("15", "2021-03-15 09:00", ASSESSMENT,
          "Smittetrykket øker med ny virusvariant (alfa). TISK-kapasiteten holder: sporing "
          "startes innen 24 timer for 95 % av nye tilfeller."),
    Entry("16", "2021-12-14 08:30", DECISION,
          "Omikron: testkapasiteten skaleres opp igjen, og smittesporingsteamet forsterkes "
          "med 30 årsverk. Vaksinasjonssenteret åpnes for oppfriskningsdoser alle dager."),
    Entry("17", "2022-02-14 09:00", DECISION,
          "Nasjonale tiltak er opphevet. Kriseledelsen avvikles; oppfølging i linjen. "
          "Evaluering etter KS Storbynettverks mal, med erfaringsdeling i SNB."),
]  # fmt: skip


COVID_STAVANGER = [
    Entry("01", "2020-03-12 08:30", DECISION,
          "Stavanger kommunes kriseledelse er satt. Møter daglig kl. 08.30, kommuneoverlegen "
          "deltar fast."),
    Entry("02", "2020-03-12 19:00", MESSAGE_IN,
          "Helsedirektoratet har vedtatt nasjonale tiltak: barnehager, skoler, "
          "universiteter og høyskoler stenges fra i kveld."),
    Entry("03", "2020-03-13 10:00", ACTION,
          "Kontakt med Sandnes, Sola og Randaberg: kommuneoverlegene på Nord-Jæren møtes "
          "daglig kl. 10 for å samordne råd og tiltak i bo- og arbeidsmarkedsregionen."),
    Entry("04", "2020-03-14 09:00", ACTION,
          "Felles innkjøp av smittevernutstyr med nabokommunene på Nord-Jæren; Stavanger "
          "koordinerer bestillingene og lagerholdet."),
    Entry("05", "2020-03-16 13:00", INFORMATION,
          "TISK: eget smittesporingsteam opprettet med ansatte fra helsestasjon, "
          "skolehelsetjeneste og kommunens fagstab. Telefonlinje for smittesporing åpnet."),
    Entry("06", "2020-03-20 12:00", MESSAGE_OUT,
          "Situasjonsrapport sendt Fylkesmannen i Rogaland: smittetall, kapasitet på "
          "legevakt og sykehjem, status for smittevernutstyr."),
    Entry("07", "2020-03-25 08:00", INFORMATION,
          "Teststasjon for drive-in-testing åpnet; kapasitet om lag 300 tester i døgnet. "
          "Prøvene analyseres ved Stavanger universitetssjukehus."),
    Entry("08", "2020-04-03 15:00", ASSESSMENT,
          "Lageret av munnbind og frakker dekker om lag ti dager med dagens forbruk. Risiko "
          "for mangel i hjemmetjenesten fra midten av april dersom leveransene uteblir."),
    Entry("09", "2020-04-06 09:00", MESSAGE_IN,
          "Sandnes kommune ber om å få overta 2 000 munnbind fra felleslageret til "
          "hjemmetjenesten."),
    Entry("10", "2020-04-06 11:30", DECISION,
          "Innvilget: 2 000 munnbind fra felleslageret overføres til Sandnes i dag. "
          "Fordelingsnøkkel for felleslageret vedtas i morgendagens møte på Nord-Jæren.",
          links=("09",)),
    Entry("11", "2020-08-20 14:00", DECISION,
          "Nord-Jæren: likelydende lokal forskrift om tiltak mot spredning av covid-19 "
          "vedtatt i Stavanger, Sandnes, Sola og Randaberg. Felles pressemelding sendes kl. "
          "16."),
    Entry("12", "2020-08-20 16:00", MESSAGE_OUT,
          "Felles pressemelding fra Nord-Jæren-kommunene om den nye forskriften. "
          "Fylkesmannen er orientert.", links=("11",)),
    Entry("13", "2020-11-05 10:00", MESSAGE_IN,
          "Fylkesmannen ber kommunene melde lokale tiltak ut over de nasjonale innen fredag, "
          "til regional oversikt."),
    Entry("14", "2021-01-04 09:00", ACTION,
          "Massevaksinasjon planlegges sammen med nabokommunene; felles bookingløsning og "
          "vaksinasjonssenter med kapasitet på 2 000 doser i døgnet."),
    Entry("15", "2021-01-28 13:00", ASSESSMENT,
          "Utbrudd med den britiske varianten i nabokommune. Vurdert lav risiko for "
          "Stavanger, men smittesporingskapasiteten økes forebyggende med ti årsverk."),
    Entry("16", "2021-06-10 09:00", INFORMATION,
          "Halvparten av den voksne befolkningen har fått første vaksinedose."),
    Entry("17", "2022-02-14 08:30", DECISION,
          "Nasjonale tiltak opphevet. Kriseledelsen avvikles; TISK nedskaleres. Evaluering "
          "sammen med kommunene på Nord-Jæren."),
]  # fmt: skip


COVID_TRONDHEIM = [
    Entry("01", "2020-03-12 09:00", DECISION,
          "Trondheim kommunes kriseledelse er satt. Beredskapsrådgiver er sekretær og "
          "fører loggen."),
    Entry("02", "2020-03-12 18:45", MESSAGE_IN,
          "Helsedirektoratets vedtak om stenging av barnehager, skoler og utdanningsinstitusjoner "
          "er mottatt."),
    Entry("03", "2020-03-13 12:00", ACTION,
          "Kontakt med St. Olavs hospital om analysekapasitet og samordning av "
          "smittevernutstyr. Daglig telefonmøte kl. 11."),
    Entry("04", "2020-03-16 10:00", INFORMATION,
          "Smittesporingsenhet etablert. Registrering i regneark og på telefon; et digitalt "
          "verktøy er bestilt."),
    Entry("05", "2020-03-18 14:00", ACTION,
          "Positiv prøve hos ansatt i hjemmetjenesten (bydel Lerkendal); nærkontakter blant "
          "kolleger og brukere kartlegges. Sju brukere satt i karantene, tre ansatte "
          "i karantene.",
          exempt_basis=PERSONAL_DATA),
    Entry("06", "2020-03-19 09:30", MESSAGE_OUT,
          "Rapport til Fylkesmannen i Trøndelag: smittetall, TISK-kapasitet, behov for "
          "smittevernutstyr i helse- og omsorgstjenestene."),
    Entry("07", "2020-03-26 10:00", MESSAGE_OUT,
          "Til Storbynettverk beredskap: Trondheim deler mal for kriseledelsens "
          "situasjonsbilde og erfaringer med organisering av smittesporingen. Ønsker "
          "tilsvarende fra de andre storbyene før møtet fredag."),
    Entry("08", "2020-04-15 13:00", ASSESSMENT,
          "Smittetallene er stabile. Kapasiteten på teststasjonen er tilstrekkelig; "
          "ventetiden på svar er under ett døgn."),
    Entry("09", "2020-09-08 09:00", INFORMATION,
          "Digitalt verktøy for smittesporing er tatt i bruk; regnearkene avvikles innen "
          "utgangen av uken."),
    Entry("10", "2020-11-06 15:00", DECISION,
          "Lokal forskrift med skjenkestopp kl. 24.00 og anbefaling om munnbind i butikker "
          "vedtatt; utkastet deles med nabokommunene via Statsforvalteren."),
    Entry("11", "2021-01-05 09:00", ACTION,
          "Vaksinasjonsplan for sykehjemmene iverksatt; vaksinering av beboere starter "
          "onsdag."),
    Entry("12", "2021-05-20 10:00", MESSAGE_IN,
          "Statsforvalteren i Trøndelag ber om ukentlig rapport om vaksinasjonstakt og "
          "etterslep i felles skjema."),
    Entry("13", "2021-12-15 08:00", DECISION,
          "Omikron: smittesporingen prioriterer helseinstitusjoner og skoler. "
          "Testkapasiteten økes med en ny teststasjon fra mandag."),
    Entry("14", "2022-02-14 09:00", DECISION,
          "Kriseledelsen avvikles etter den nasjonale gjenåpningen. Evaluering etter KS "
          "Storbynettverks mal."),
]  # fmt: skip


EXERCISE_BERGEN = [
    Entry("01", "2026-10-21 08:30", MESSAGE_IN,
          "ØVING ØVING ØVING. Statsforvaltaren i Vestland varsler: uvær har gitt omfattende "
          "strømbrudd i store deler av Bergen. BKK melder at gjenoppretting kan ta flere "
          "døgn."),
    Entry("02", "2026-10-21 08:55", DECISION,
          "ØVING. Kommunens kriseledelse er satt. Stab etablert i Rådhuset på nødstrøm."),
    Entry("03", "2026-10-21 09:30", ASSESSMENT,
          "ØVING. Kritiske funksjoner: sykehjem og legevakt har nødstrøm i inntil 48 timer. "
          "Mobilnettet faller ut etter hvert som basestasjonenes batterier tømmes."),
    Entry("04", "2026-10-21 10:15", ACTION,
          "ØVING. Varmestuer åpnes i tre bydeler. Hjemmetjenesten kartlegger brukere som "
          "er avhengige av strøm til medisinsk utstyr."),
    Entry("05", "2026-10-21 11:00", MESSAGE_OUT,
          "ØVING. Situasjonsrapport nr. 1 sendt Statsforvaltaren: omfang, kritiske "
          "funksjoner, varmestuer. Behov: aggregater til to sykehjem."),
    Entry("06", "2026-10-21 14:00", MESSAGE_IN,
          "ØVING. Nabokommunen Alver spør om plass i varmestue for 40 personer fra "
          "Knarvik-området."),
    Entry("07", "2026-10-22 09:00", ASSESSMENT,
          "ØVING. Drivstoff til aggregatene rekker til torsdag kveld. Avtale om levering "
          "prioriteres."),
    Entry("08", "2026-10-22 14:30", DECISION,
          "ØVING AVSLUTTET. Kriseledelsen trappes ned. Læringspunkter meldes til "
          "Statsforvaltaren innen to uker."),
]  # fmt: skip


OFFICE_EAST_STAFF = "ost.statsforvalter@demo.samvirke.no"
# The office's own crisis log during "Hans" (in 2023 Statsforvalteren i Oslo og Viken,
# which covered Buskerud): the preparedness track's view of the region — warnings passed
# on, the county preparedness council, status requests, the municipalities' reports
# answered, resources found for them, reports up to DSB.
HANS_EAST = [
    Entry("01", "2023-08-06 12:50", MESSAGE_IN,
          "Meteorologisk institutt har sendt **rødt farevarsel** for store nedbørmengder "
          "(ekstremværet «Hans») for deler av Buskerud, Innlandet og Akershus fra mandag "
          "til onsdag. NVE varsler oransje flomfare."),
    Entry("02", "2023-08-06 13:30", MESSAGE_OUT,
          "Farevarselet videresendt til alle kommunene i regionen med oppfordring om å "
          "vurdere å sette kriseledelse, sikre kritisk infrastruktur og varsle sårbare "
          "brukere. Beredskapsvakten er styrket."),
    Entry("03", "2023-08-06 17:00", DECISION,
          "Statsforvalterens kriseledelse er satt og møtes daglig kl. 09.30. Regional "
          "krisestab på Teams. Kommunene bes sende situasjonsrapport innen mandag kl. 16."),
    Entry("04", "2023-08-07 10:00", ACTION,
          "Ekstraordinært møte i fylkesberedskapsrådet: politiet, Sivilforsvaret, NVE, "
          "Statens vegvesen, Heimevernet, Glitre Nett, Bane NOR og fylkeskommunen. "
          "Ressursoversikt og kontaktpunkter oppdatert."),
    Entry("05", "2023-08-07 16:40", ASSESSMENT,
          "Regionalt situasjonsbilde kl. 16: 24 kommuner har rapportert, 9 har satt "
          "kriseledelse. Størst bekymring for Drammenselva, Hønefoss og Begna. Ingen "
          "kommune melder behov for bistand ennå."),
    Entry("06", "2023-08-07 17:05", INFORMATION,
          "Drammen melder at tiltak mot flom og overvann er i gang og at de ikke har "
          "behov for bistand nå. Følges opp i morgen tidlig.",
          answers="hans:drammen:08"),
    Entry("07", "2023-08-07 18:30", MESSAGE_OUT,
          "Regional situasjonsrapport nr. 1 sendt DSB."),
    Entry("08", "2023-08-08 13:05", MESSAGE_OUT,
          "Kommunene langs Drammensvassdraget og Randsfjorden bedt om status for "
          "evakuering og behov for bistand innen kl. 15."),
    Entry("09", "2023-08-08 14:30", DECISION,
          "Statsforvalteren støtter Drammens anmodning om bistand fra Sivilforsvaret og "
          "har bedt Sivilforsvaret prioritere mannskaper til Mjøndalen og aggregat til "
          "evakuerte- og pårørendesenteret.",
          answers="hans:drammen:17"),
    Entry("10", "2023-08-08 16:00", ASSESSMENT,
          "Drammen har besluttet evakuering av om lag 160 husstander. Ringerike og Hole "
          "melder overvann og stengte veier, ingen evakuering. Rv. 283 ventes stengt."),
    Entry("11", "2023-08-08 16:20", DECISION,
          "Kommunemøte for alle kommunene i regionen i morgen kl. 10.00 på Teams. "
          "NVE og Sivilforsvaret deltar.",
          answers="hans:drammen:19"),
    Entry("12", "2023-08-08 18:45", MESSAGE_OUT,
          "Regional situasjonsrapport nr. 2 sendt DSB: evakuering i Drammen, bistand fra "
          "Sivilforsvaret, flomtopp ventet torsdag."),
    Entry("13", "2023-08-09 10:00", ACTION,
          "Kommunemøte gjennomført med 38 kommuner. Felles budskap om drikkevann og "
          "bading avklart med Mattilsynet og kommuneoverlegene."),
    Entry("14", "2023-08-09 10:20", INFORMATION,
          "Referatet fra kommunemøtet er sendt til kommunene."),
    Entry("15", "2023-08-09 10:25", INFORMATION,
          "Retting: referatet sendes ut kl. 12 etter at NVE har sett over prognosene.",
          corrects="14", correction="correction"),
    Entry("16", "2023-08-09 14:40", DECISION,
          "Statsforvalteren har varslet Mattilsynet og kommuneoverlegen i Drammen om "
          "mulig kloakkforurensning fra pumpestasjonen i Mjøndalen.",
          answers="hans:drammen:26"),
    Entry("17", "2023-08-10 09:00", ASSESSMENT,
          "Flomtoppen er passert i Drammenselva; Randsfjorden stiger fortsatt. Ingen "
          "personskader meldt i regionen."),
    Entry("18", "2023-08-10 15:30", MESSAGE_OUT,
          "Regional situasjonsrapport nr. 3 sendt DSB."),
    Entry("19", "2023-08-14 12:00", DECISION,
          "Statsforvalterens kriseledelse avvikles. Oppfølging av skader og "
          "erfaringslæring i linjen; evaluering sammen med kommunene i september."),
]  # fmt: skip

INCIDENTS = [
    {
        "key": "hans:drammen",
        "frame": "hans",
        "owner": "kommune-3301",
        "author": DRAMMEN,
        "title": "Ekstremværet Hans – flom i Drammenselva",
        "type": "flood",
        "severity": "high",
        "affected": ["3301", "3312", "3314"],
        "started_at": "2023-08-06 13:40",
        "ended_at": "2023-08-14 09:00",
        "status": "closed",
        "description": (
            "Flom i Drammenselva og overvann i sentrum under ekstremværet «Hans». "
            "Evakuering av lavtliggende boliger i Mjøndalen og Krokstadelva, stengte veier, "
            "strømbrudd på Konnerud og i Skoger, bistand fra Sivilforsvaret."
        ),
        "entries": HANS_DRAMMEN,
        "shares": [
            {"organisation": OFFICE_EAST},
            {"entry": "18", "organisation": "kommune-3312"},
        ],
        "tasks": [
            {
                "title": "Skaffe og fordele 5 000 sandsekker",
                "from": "04",
                "assignee_user": DRAMMEN,
                "due_at": "2023-08-07 18:00",
                "status": "done",
            },
            {
                "title": "Oppdatere Hans-siden på drammen.kommune.no hver tredje time",
                "from": "05",
                "assignee_role": "crisis_staff",
                "due_at": "2023-08-07 12:00",
                "status": "done",
            },
            {
                "title": "Følge opp bistand fra Sivilforsvaret (mannskaper og aggregat til EPS)",
                "from": "17",
                "assignee_user": DRAMMEN,
                "due_at": "2023-08-09 09:00",
                "status": "done",
            },
            {
                "title": "Evaluere håndteringen av ekstremværet Hans (KS' evalueringsmal)",
                "from": "30",
                "assignee_organisation": "kommune-3301",
                "due_at": "2023-11-01 12:00",
                "status": "in_progress",
                "description": "Innspill fra Drammen drift, Drammensregionens brannvesen, "
                "Sivilforsvaret og Statsforvalteren. Læringspunktene deles med Lier og "
                "Øvre Eiker.",
            },
        ],
    },
    {
        "key": "hans:ost",
        "frame": "hans",
        "owner": OFFICE_EAST,
        "author": OFFICE_EAST_STAFF,
        "title": "Ekstremværet Hans – Øst",
        "type": "extreme_weather",
        "severity": "high",
        "affected": ["3301", "3305", "3310", "3312", "3314", "3316"],
        "started_at": "2023-08-06 12:50",
        "ended_at": "2023-08-14 12:00",
        "status": "closed",
        "description": (
            "Statsforvalterens regionale krisehåndtering under ekstremværet «Hans»: "
            "samordning gjennom fylkesberedskapsrådet, kommunemøter, situasjonsrapporter "
            "fra kommunene og til DSB."
        ),
        "entries": HANS_EAST,
        "shares": [{"region": True}],
        "tasks": [],
    },
    {
        "key": "covid:bergen",
        "frame": "covid",
        "owner": "kommune-4601",
        "author": BERGEN,
        "title": "Koronapandemien i Bergen",
        "type": "pandemic",
        "severity": "critical",
        "affected": ["4601"],
        "started_at": "2020-03-12 08:00",
        "ended_at": "2022-02-14 09:00",
        "status": "closed",
        "description": (
            "Bergen kommunes håndtering av covid-19: kriseledelse, testing og smittesporing "
            "(TISK), smittevernutstyr, lokale forskrifter delt med nabokommunene, "
            "vaksinasjon, rapportering til Fylkesmannen/Statsforvaltaren i Vestland."
        ),
        "entries": COVID_BERGEN,
        "shares": [{"entry": "13", "organisation": OFFICE_VESTLAND}],
        "tasks": [
            {
                "title": "Samordne lager av smittevernutstyr med Helse Bergen",
                "from": "05",
                "assignee_user": BERGEN,
                "due_at": "2020-03-20 12:00",
                "status": "done",
            },
        ],
    },
    {
        "key": "covid:stavanger",
        "frame": "covid",
        "owner": "kommune-1103",
        "author": STAVANGER,
        "title": "Koronapandemien i Stavanger",
        "type": "pandemic",
        "severity": "critical",
        "affected": ["1103"],
        "started_at": "2020-03-12 08:30",
        "ended_at": "2022-02-14 08:30",
        "status": "closed",
        "description": (
            "Stavanger kommunes håndtering av covid-19 i samarbeid med nabokommunene på "
            "Nord-Jæren (Sandnes, Sola, Randaberg): felles innkjøp og lager av "
            "smittevernutstyr, likelydende lokale forskrifter, TISK og vaksinasjon."
        ),
        "entries": COVID_STAVANGER,
        "shares": [{"network": "nord-jaeren"}],
        "tasks": [
            {
                "title": "Fordelingsnøkkel for felleslageret av smittevernutstyr",
                "from": "10",
                "assignee_user": STAVANGER,
                "due_at": "2020-04-07 12:00",
                "status": "done",
            },
            {
                "title": "Felles bookingløsning for vaksinasjon på Nord-Jæren",
                "from": "14",
                "assignee_role": "emergency_manager",
                "due_at": "2021-01-15 12:00",
                "status": "done",
            },
        ],
    },
    {
        "key": "covid:trondheim",
        "frame": "covid",
        "owner": "kommune-5001",
        "author": TRONDHEIM,
        "title": "Koronapandemien i Trondheim",
        "type": "pandemic",
        "severity": "critical",
        "affected": ["5001"],
        "started_at": "2020-03-12 09:00",
        "ended_at": "2022-02-14 09:00",
        "status": "closed",
        "description": (
            "Trondheim kommunes håndtering av covid-19: kriseledelse, smittesporing (fra "
            "regneark til digitalt verktøy), samarbeid med St. Olavs hospital, lokale "
            "forskrifter og erfaringsdeling i Storbynettverk beredskap."
        ),
        "entries": COVID_TRONDHEIM,
        "shares": [{"entry": "07", "network": "snb"}],
        "tasks": [
            {
                "title": "Anskaffe digitalt verktøy for smittesporing",
                "from": "04",
                "assignee_organisation": "kommune-5001",
                "due_at": "2020-09-01 12:00",
                "status": "done",
            },
        ],
    },
    {
        "key": "ovelse-vestland-2026:bergen",
        "frame": "ovelse-vestland-2026",
        "owner": "kommune-4601",
        "author": BERGEN,
        "title": "ØVELSE – langvarig strømbrudd i Bergen",
        "type": "power_outage",
        "severity": "high",
        "affected": ["4601"],
        "started_at": "2026-10-21 08:30",
        "ended_at": "2026-10-22 15:00",
        "status": "closed",
        "description": (
            "Bergen kommunes del av Øvelse Vestland 2026: langvarig strømbrudd, varmestuer, "
            "sårbare brukere, drivstoff til aggregater og situasjonsrapportering til "
            "Statsforvaltaren."
        ),
        "entries": EXERCISE_BERGEN,
        "shares": [{"organisation": OFFICE_VESTLAND}],
        "tasks": [
            {
                "title": "Melde læringspunkter fra øvelsen til Statsforvaltaren",
                "from": "08",
                "assignee_user": BERGEN,
                "due_at": "2026-11-05 12:00",
                "status": "open",
            },
        ],
    },
]
