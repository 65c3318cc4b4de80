"""Texts for ``manage.py load_demo_rounds``: what the municipalities answer and what the
State Administrator offices and Helsedirektoratet assess. Fictional, but written the way
the real situation reports of January 2022 (the omicron wave) and August 2023 ("Hans")
read; the numbers the command generates are scaled to each municipality's population.

Vestland writes nynorsk, as Statsforvaltaren i Vestland does.
"""

from __future__ import annotations

# --- people ----------------------------------------------------------------------------

#: Names for the municipalities' reporters (beredskapskoordinatorer); fictional.
FIRST_NAMES = [
    "Anne", "Berit", "Camilla", "Elin", "Hanne", "Heidi", "Ingrid", "Kari", "Kristin",
    "Linda", "Marit", "Nina", "Randi", "Silje", "Tone", "Trine", "Astrid", "Gro", "Ane",
    "Lars", "Bjørn", "Espen", "Geir", "Hans Petter", "Jan Erik", "Knut", "Magne", "Morten",
    "Odd Arne", "Per", "Rune", "Stein", "Svein", "Terje", "Tor", "Vidar", "Øyvind", "Arild",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen",
    "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berge",
    "Moe", "Nygård", "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Hauge", "Myhre",
]  # fmt: skip

# --- Covid-19, 19 January 2022 -----------------------------------------------------------

COVID_TITLE = "Covid-19: status i kommunene 19. januar 2022"

#: Case rate per inhabitant per day, by office (the omicron wave hit the east first).
COVID_REGION_FACTOR = {
    "ostfold-buskerud-oslo-og-akershus": 1.35,
    "vestfold-og-telemark": 1.1,
    "innlandet": 0.9,
    "agder": 1.0,
    "rogaland": 1.1,
    "vestland": 1.05,
    "more-og-romsdal": 0.85,
    "trondelag": 1.0,
    "nordland": 0.75,
    "troms-finnmark": 0.8,
}

COVID_STAFF = {
    "yellow": [
        "Høyt sykefravær i hjemmetjenesten. Vi bruker overtid og innleie fra vikarbyrå.",
        "Fravær på sykehjemmene; personell er flyttet fra dagsenter og aktivitetstilbud.",
        "Krevende bemanning i helgene. Studenter og pensjonerte sykepleiere er kontaktet.",
        "Legevakten er presset; ekstra lege i vakt på kveldstid ut uka.",
        "Mange ansatte i karantene i barnehagene; helsetjenesten klarer seg foreløpig.",
    ],
    "red": [
        "Kritisk bemanning i hjemmetjenesten. Vi gir bare nødvendig helsehjelp og har "
        "utsatt praktisk bistand. Behov for helsepersonell fra nabokommuner.",
        "Mangler sykepleiere på natt ved to av tre sykehjem. Vurderer å samle beboere.",
    ],
}
COVID_CAPACITY = {
    "yellow": [
        "Testkapasiteten er presset; ventetid på time ved teststasjonen er over ett døgn.",
        "Smittesporingen henger etter. Vi prioriterer institusjoner og husstandsmedlemmer.",
        "Press på korttidsplassene; flere utskrivningsklare pasienter fra sykehuset.",
        "Vaksinasjonskapasiteten er flyttet til oppfriskningsdoser; testing går ned.",
    ],
    "red": [
        "Testkapasiteten er sprengt og svartiden over 48 timer. Vi ber om hurtigtester og "
        "bistand fra nabokommunene.",
        "Utbrudd på sykehjem med mange smittede beboere og ansatte. Behov for bistand fra "
        "smittevernoverlege og ekstra personell.",
    ],
}
COVID_COMMENTS = [
    "Overgang til selvtesting med hurtigtester fungerer godt. Trenger jevn leveranse av "
    "hurtigtester de neste ukene.",
    "Oppfriskningsdose tilbys alle over 18 år; drop-in på vaksinasjonssenteret hver ettermiddag.",
    "Smittetallene stiger raskt etter jul, særlig blant unge voksne og i skolene.",
    "Færre innleggelser enn ved forrige bølge til tross for høyt smittetall.",
    "Smittesporing er avgrenset til husstand og institusjoner etter de nye nasjonale rådene.",
    "Vi ønsker tydeligere signaler om hvor lenge dagens tiltaksnivå skal gjelde.",
]

COVID_ASSESSMENTS = {
    "vestland": (
        "Smittetala i Vestland har auka kraftig etter jul og er no dei høgaste under "
        "pandemien, men talet på innlagde er framleis moderat. Bergen og omlandskommunane "
        "står for det meste av smitten.\n\n"
        "Den største utfordringa er fråvær blant tilsette. Fleire kommunar melder gult på "
        "personell, og nokre melder raudt og ber om hjelp til bemanning i heimetenesta og "
        "på sjukeheimane. Testkapasiteten er pressa i dei største kommunane; overgangen til "
        "sjølvtesting lettar trykket.\n\n"
        "Statsforvaltaren vurderer at kommunane i Vestland samla sett har kontroll, men at "
        "marginane er små. Vi følgjer opp kommunane som har meldt behov for bistand, og "
        "tilrår at nabokommunar samarbeider om personell. Alle kommunane har rapportert; "
        "nokre kom etter fristen."
    ),
    "rogaland": (
        "Smitten i Rogaland er høy og stigende, med flest tilfeller på Nord-Jæren. "
        "Kommunene rapporterer stabil drift i helse- og omsorgstjenestene, men med økende "
        "sykefravær. Sykehusinnleggelsene er få sammenlignet med smittetallene.\n\n"
        "Nord-Jæren-kommunene samordner testing og vaksinasjon, og felles lokal forskrift "
        "ble opphevet da de nasjonale tiltakene ble justert. Kommunene melder behov for "
        "jevn tilgang på hurtigtester.\n\n"
        "Statsforvalteren vurderer situasjonen som krevende, men håndterbar. Vi ber "
        "kommunene holde beredskapsplanene for personell oppdatert og melde fra straks "
        "dersom kritiske tjenester blir truet."
    ),
    "ostfold-buskerud-oslo-og-akershus": (
        "Regionen har de høyeste smittetallene i landet, med Oslo og kommunene rundt som "
        "tyngdepunkt. Antall innlagte øker, men langsommere enn smitten. Flere kommuner "
        "melder høyt sykefravær i helse- og omsorgstjenestene og i barnehager og skoler.\n\n"
        "Noen kommuner melder rødt på kapasitet eller personell og har bedt om bistand; "
        "Statsforvalteren har formidlet kontakt med nabokommuner og helseforetakene. "
        "Testkapasiteten er presset i de største byene.\n\n"
        "Statsforvalteren vurderer situasjonen som alvorlig, men under kontroll. Vi "
        "anbefaler at kommunene prioriterer bemanning av kritiske tjenester, og vi følger "
        "opp kommunene som ikke har rapportert innen fristen."
    ),
}
COVID_NATIONAL_ASSESSMENT = (
    "Omikronbølgen gir de høyeste smittetallene under pandemien i alle fylker. Antallet "
    "innlagte øker moderat, og sykehusene har kapasitet. Kommunenes største utfordring er "
    "fravær blant helsepersonell: de fleste melder grønt eller gult, og noen få melder rødt "
    "og ber om bistand til bemanning.\n\n"
    "Testkapasiteten er presset i de store byene; overgangen til selvtesting med "
    "hurtigtester avlaster teststasjonene. Vaksinasjonen med oppfriskningsdoser går etter "
    "planen.\n\n"
    "Helsedirektoratet vurderer at kommunene samlet har kontroll, men med små marginer. "
    "Statsforvalterne følger opp kommunene som har meldt behov for bistand. Vi vil vurdere "
    "lettelser i tiltakene når toppen av bølgen er passert."
)

# --- Ekstremværet Hans, 9 August 2023 ----------------------------------------------------

HANS_TITLE = "Ekstremværet Hans: situasjonsrapport onsdag 9. august kl. 12"

G, Y, R = "green", "yellow", "red"

#: What the municipalities hit hardest reported. Statuses per sector (helse, vann,
#: kraft_ekom, ikt, transport, evakuering, informasjon, bemanning, samlet) with comments,
#: and the numbers; the rest of the region gets a quiet report (see the command).
HANS_REPORTS = {
    "3301": {  # Drammen — as in Drammen's own log
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Flom i Drammenselva. Vannstanden ved Døvikfoss er 5,9 m og stiger; NVE venter "
            "flomtoppen ved Mjøndalen torsdag 10. august, om lag 70 cm over dagens nivå. "
            "Om lag 160 husstander i lavtliggende deler av Mjøndalen og Krokstadelva "
            "evakueres innen kl. 12 i dag. Evakuerte- og pårørendesenter (EPS) er åpent på "
            "Mjøndalen ungdomsskole."
        ),
        "konsekvenser": (
            "Rv. 283 mellom Mjøndalen og Hokksund er stengt. Sju kommunale veier i Skoger "
            "og på Konnerud er stengt etter utglidninger. Strømmen er tilbake for alle på "
            "Konnerud og i Skoger."
        ),
        "status": {
            "helse": (
                Y,
                "Én hjemmeboende bruker med hjemmerespirator flyttet til "
                "korttidsplass. Hjemmetjenesten følger opp sårbare brukere i "
                "evakueringsområdet.",
            ),
            "vann": (G, ""),
            "kraft_ekom": (G, "Strømbruddet på Konnerud og i Skoger er rettet."),
            "ikt": (G, ""),
            "transport": (R, "Rv. 283 og sju kommunale veier stengt."),
            "evakuering": (Y, "Evakuering av om lag 160 husstander pågår; EPS åpent."),
            "informasjon": (G, ""),
            "bemanning": (Y, "Lange vakter i Drammen drift og hjemmetjenesten."),
            "samlet": (Y, "Alvorlig flomsituasjon, men under kontroll."),
        },
        "evakuerte": 380,
        "innkvartert": 45,
        "strom_uten": 0,
        "transport_stengte": "Rv. 283 Mjøndalen–Hokksund; sju kommunale veier i Skoger og "
        "på Konnerud",
        "kanaler": ["nettside", "sosiale_medier", "sms", "media"],
        "bistand_behov": "ja",
        "bistand_beskrivelse": (
            "Sivilforsvaret: mannskaper til dørbanking og flomvoller i Mjøndalen, og "
            "strømaggregat og lys til EPS (anmodet 8. august kl. 14). Ekstra "
            "pumpekapasitet."
        ),
        "utvikling": "forverring",
        "vurdering": (
            "Situasjonen forverres til flomtoppen torsdag. Flomvollene ved Krokstadelva kan "
            "bli overtoppet. Ny vurdering etter NVEs prognose kl. 12."
        ),
    },
    "3305": {  # Ringerike
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Storelva og Begna flommer over i Hønefoss. Deler av sentrum og boligområder "
            "langs elva er under vann. Beboere langs elva på Hønefoss og i Hen er "
            "evakuert. Flere jord- og flomskred i Soknedal og på Ask."
        ),
        "konsekvenser": (
            "Flere veier er stengt og noen grender er isolert. Drikkevannet er trygt, men "
            "to pumpestasjoner for avløp er satt ut av drift."
        ),
        "status": {
            "helse": (Y, "Ett bofellesskap evakuert til sykehjemmet."),
            "vann": (Y, "Overløp fra to avløpspumpestasjoner til Storelva."),
            "kraft_ekom": (Y, "Strømbrudd i Soknedal og Hen."),
            "ikt": (G, ""),
            "transport": (R, "Fv. 7 og flere kommunale veier stengt; grender isolert."),
            "evakuering": (R, "Over 200 evakuert; innkvartering på hotell og skole."),
            "informasjon": (G, ""),
            "bemanning": (Y, "Mannskapene i drift og brannvesen er slitne etter tre døgn."),
            "samlet": (R, "Krevende situasjon som kan forverres i natt."),
        },
        "evakuerte": 230,
        "innkvartert": 120,
        "strom_uten": 640,
        "ekom": ["mobil"],
        "transport_stengte": "Fv. 7 Hønefoss–Sokna, Fv. 241 ved Hen, flere kommunale veier",
        "kanaler": ["nettside", "sosiale_medier", "sms", "media", "mote"],
        "bistand_behov": "ja",
        "bistand_beskrivelse": (
            "Sivilforsvaret til vakthold og pumping i Hønefoss sentrum. Forsvaret (HV) til "
            "forsyning av isolerte grender dersom veiene ikke åpner i morgen."
        ),
        "utvikling": "forverring",
        "vurdering": "Begna og Randselva stiger fortsatt. Flomtoppen ventes natt til torsdag.",
    },
    "3310": {  # Hole
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Flere jordskred ved Sundvollen og i Krokkleiva. E16 er stengt ved Sundvollen. "
            "Tyrifjorden stiger, og strandsonen på Storøya og Utøya er oversvømt."
        ),
        "konsekvenser": "Omkjøring via Hønefoss. Hytter og boliger langs fjorden er berørt.",
        "status": {
            "helse": (G, ""),
            "vann": (G, ""),
            "kraft_ekom": (Y, "Strømbrudd for hytter og boliger ved Sundvollen."),
            "ikt": (G, ""),
            "transport": (R, "E16 stengt ved Sundvollen etter skred."),
            "evakuering": (Y, "Tolv boliger under skredfarlig skråning er evakuert."),
            "informasjon": (G, ""),
            "bemanning": (G, ""),
            "samlet": (Y, ""),
        },
        "evakuerte": 31,
        "innkvartert": 6,
        "strom_uten": 210,
        "transport_stengte": "E16 ved Sundvollen, Krokkleivveien",
        "kanaler": ["nettside", "sosiale_medier", "sms"],
        "bistand_behov": "kan_oppsta",
        "bistand_beskrivelse": "Geoteknisk vurdering av skråningene over Sundvollen (NVE).",
        "utvikling": "uendret",
    },
    "3316": {  # Modum
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Drammenselva og Tyrifjorden er over flomnivå ved Vikersund og Geithus. Boliger "
            "langs elva er evakuert, og kommunen legger ut sandsekker."
        ),
        "status": {
            "helse": (G, ""),
            "vann": (Y, "Kokevarsel for et lite privat vannverk på Geithus."),
            "kraft_ekom": (G, ""),
            "ikt": (G, ""),
            "transport": (Y, "Fv. 287 stengt ved Åmot."),
            "evakuering": (Y, "Evakuerte innkvartert hos familie og på hotell."),
            "informasjon": (G, ""),
            "bemanning": (G, ""),
            "samlet": (Y, ""),
        },
        "evakuerte": 95,
        "innkvartert": 22,
        "vann_berorte": 140,
        "vann_kokevarsel": "ja",
        "transport_stengte": "Fv. 287 ved Åmot",
        "kanaler": ["nettside", "sosiale_medier", "sms"],
        "bistand_behov": "kan_oppsta",
        "utvikling": "forverring",
    },
    "3314": {  # Øvre Eiker
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Drammenselva flommer over ved Hokksund. Lavtliggende boliger på Loesmoen og "
            "ved Hokksund stasjon er evakuert."
        ),
        "status": {
            "helse": (G, ""),
            "vann": (G, ""),
            "kraft_ekom": (G, ""),
            "ikt": (G, ""),
            "transport": (R, "Rv. 283 stengt mot Mjøndalen; togtrafikken innstilt."),
            "evakuering": (Y, ""),
            "informasjon": (G, ""),
            "bemanning": (G, ""),
            "samlet": (Y, ""),
        },
        "evakuerte": 120,
        "innkvartert": 35,
        "transport_stengte": "Rv. 283 Hokksund–Mjøndalen; Randsfjordbanen",
        "kanaler": ["nettside", "sosiale_medier"],
        "bistand_behov": "nei",
        "utvikling": "forverring",
    },
    "3312": {  # Lier
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Lierelva har gått over sine bredder i Sylling og på Lierstranda. Drammen har "
            "tilbudt sandsekker og lensepumper."
        ),
        "status": {
            "helse": (G, ""),
            "vann": (G, ""),
            "kraft_ekom": (G, ""),
            "ikt": (G, ""),
            "transport": (Y, "Fv. 285 ved Sylling stengt."),
            "evakuering": (G, ""),
            "informasjon": (G, ""),
            "bemanning": (G, ""),
            "samlet": (Y, ""),
        },
        "evakuerte": 8,
        "transport_stengte": "Fv. 285 ved Sylling",
        "kanaler": ["nettside", "sosiale_medier"],
        "bistand_behov": "nei",
        "utvikling": "uendret",
    },
    "3303": {  # Kongsberg
        "kriseledelse": "ja",
        "situasjonsbeskrivelse": (
            "Numedalslågen er over flomnivå gjennom Kongsberg sentrum. Boliger ved elva på "
            "Nymoen er evakuert. Nybrua er stengt for trafikk."
        ),
        "status": {
            "helse": (G, ""),
            "vann": (Y, "Høy belastning på renseanlegget."),
            "kraft_ekom": (G, ""),
            "ikt": (G, ""),
            "transport": (Y, "Nybrua stengt."),
            "evakuering": (Y, ""),
            "informasjon": (G, ""),
            "bemanning": (G, ""),
            "samlet": (Y, ""),
        },
        "evakuerte": 60,
        "innkvartert": 14,
        "transport_stengte": "Nybrua i sentrum",
        "kanaler": ["nettside", "sosiale_medier", "sms"],
        "bistand_behov": "nei",
        "utvikling": "uendret",
    },
}

#: Hallingdal and Numedal: isolated valleys, roads and railway cut.
HANS_VALLEYS = {
    "3320": "Flå",
    "3322": "Nesbyen",
    "3324": "Gol",
    "3328": "Ål",
    "3330": "Hol",
    "3332": "Sigdal",
    "3318": "Krødsherad",
    "3334": "Flesberg",
    "3336": "Rollag",
    "3338": "Nore og Uvdal",
}
HANS_VALLEY_ROADS = {
    "3320": "Rv. 7 ved Flå; Bergensbanen innstilt",
    "3322": "Rv. 7 nord for Nesbyen; Fv. 5542 til Nedre Eggedal",
    "3324": "Rv. 7 ved Gol; Rv. 52 over Hemsedalsfjellet",
    "3328": "Rv. 7 ved Torpo; flere bygdeveier",
    "3330": "Rv. 7 ved Geilo",
    "3332": "Fv. 287 Prestfoss–Eggedal; flere kommunale veier",
    "3318": "Fv. 280 ved Noresund",
    "3334": "Fv. 40 ved Lampeland",
    "3336": "Fv. 40 ved Rollag kirke",
    "3338": "Fv. 40 ved Rødberg; Fv. 3410 til Uvdal",
}

#: Along Glomma, Vorma and Leira (Akershus), and the lower Glomma (Østfold): preparing.
HANS_GLOMMA = {
    "3205": "Leira og Glomma",
    "3228": "Glomma og Vorma",
    "3240": "Vorma",
    "3226": "Glomma",
    "3236": "Randselva",
    "3234": "Randsfjorden",
    "3105": "Glomma",
    "3107": "Glomma",
    "3118": "Glomma",
}

HANS_QUIET_DESCRIPTIONS = [
    "Mye nedbør siste døgn med overvann enkelte steder. Ingen større skader meldt.",
    "Kommunen følger med på farevarslene. Noe overvann og enkelte stengte veier, ellers "
    "normal drift.",
    "Rolig situasjon. Beredskapen er forsterket og kriseledelsen er varslet.",
    "Lokale utglidninger langs kommunale veier; ingen personer er berørt.",
]
HANS_GLOMMA_DESCRIPTION = (
    "NVE varsler flom i {river} de neste dagene. Kommunen forbereder seg: sandsekker er "
    "utplassert, beboere i utsatte områder er varslet, og kriseledelsen er i beredskap."
)
HANS_VALLEY_DESCRIPTION = (
    "Store skader etter flom og skred i {name}. Flere grender er isolert og deler av "
    "kommunen er uten strøm. Kommunen har kontakt med alle kjente sårbare innbyggere."
)

HANS_ASSESSMENT = (
    "Ekstremværet «Hans» har gitt flom og skred i store deler av Buskerud, og flommen i "
    "Drammensvassdraget har ennå ikke nådd toppen. Ringerike, Drammen, Modum og Øvre Eiker "
    "har evakuert til sammen flere hundre innbyggere, og i Hallingdal og Numedal er flere "
    "grender isolert etter at riks- og fylkesveier er brutt. Bergensbanen og "
    "Randsfjordbanen er stengt.\n\n"
    "Kommunene håndterer situasjonen med egne ressurser og god hjelp fra Sivilforsvaret. "
    "Flere kommuner har meldt behov for bistand: mannskaper, pumper og aggregater, og "
    "forsyning til isolerte grender. Statsforvalteren har formidlet anmodningene til "
    "Sivilforsvaret og Heimevernet og har daglig kontakt med NVE og Statens vegvesen. "
    "Kommunene langs Glomma og Vorma forbereder seg på flomtoppen i helgen.\n\n"
    "Statsforvalteren vurderer situasjonen som alvorlig. Den vil forverres i Buskerud det "
    "neste døgnet og forflytte seg til Akershus og Østfold mot helgen. Vi ber kommunene "
    "rapportere igjen torsdag kl. 12, og straks ved vesentlige endringer."
)

# --- the open round ------------------------------------------------------------------------

OPEN_TITLE = "Kraftig vind og store nedbørmengder: situasjonsrapport"
OPEN_QUIET = [
    "Ingen hendelser av betydning. Kommunen følger med på farevarslene fra "
    "Meteorologisk institutt.",
    "Noen trefall over kommunale veier i natt; ryddet. Normal drift i alle tjenester.",
    "Kortvarige strømbrudd i ytre strøk, nå rettet. Beredskapen er forsterket.",
]
