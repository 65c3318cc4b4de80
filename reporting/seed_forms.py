"""The report forms seeded by ``manage.py load_report_forms``: the general municipal
situation report on the preparedness track (DSB), a Covid-19 style health form
(Helsedirektoratet) and a refugee-settlement form (IMDi). Labels are data, in Norwegian.

DSB's own template (Vedlegg 3, "Mal situasjonsrapport") could not be verified
(../shared/standards/dsb-situasjonsrapport.md): the sections below follow the sectors the
issue names and what a municipal plan asks its services to report (status, consequences,
measures, needs), not DSB's template field by field.
"""

from reporting.validation import (
    CHOICE,
    DATETIME,
    DECIMAL,
    INTEGER,
    LONG_TEXT,
    MEDIAN,
    MULTIPLE_CHOICE,
    SECTOR_STATUS,
    SHORT_TEXT,
    WEIGHTED_MEAN,
    default_aggregate,
)


def field(key, type, label, *, required=False, help=None, **extra):
    """A field; a number field names its aggregate over municipalities (issue 13: counts
    summed, percentages weighted by population, durations as the median), given or
    the default for its type and unit."""
    spec = {"key": key, "type": type, "label": label, "required": required, **extra}
    if help:
        spec["help"] = help
    if type in (INTEGER, DECIMAL):
        spec.setdefault("aggregate", default_aggregate(spec))
    return spec


def options(*pairs):
    return [{"value": value, "label": label} for value, label in pairs]


def sector(key, title, extra=(), description=None):
    """A sector section: its status (green / yellow / red with a comment), what is
    affected and the measures taken."""
    section = {
        "key": key,
        "title": title,
        "fields": [
            field(
                f"{key}_status",
                SECTOR_STATUS,
                f"Status: {title.lower()}",
                required=True,
                help="Grønn: normal drift. Gul: redusert eller truet. Rød: kritisk, "
                "tjenesten kan ikke leveres. Kommenter gul og rød.",
            ),
            *extra,
            field(f"{key}_tiltak", LONG_TEXT, "Iverksatte og planlagte tiltak"),
        ],
    }
    if description:
        section["description"] = description
    return section


YES_NO_UNKNOWN = options(("ja", "Ja"), ("nei", "Nei"), ("ukjent", "Ukjent"))

MUNICIPAL_SITUATION_REPORT = {
    "sections": [
        {
            "key": "situasjon",
            "title": "Situasjonsbeskrivelse",
            "description": "Et oppsummert og bekreftet bilde av situasjonen i kommunen.",
            "fields": [
                field("situasjon_tidspunkt", DATETIME, "Situasjonen gjelder per", required=True),
                field(
                    "kriseledelse",
                    CHOICE,
                    "Er kommunens kriseledelse satt?",
                    required=True,
                    options=options(("ja", "Ja"), ("nei", "Nei"), ("beredskap", "I beredskap")),
                ),
                field("situasjonsbeskrivelse", LONG_TEXT, "Kort beskrivelse", required=True),
                field(
                    "konsekvenser",
                    LONG_TEXT,
                    "Konsekvenser for befolkningen og samfunnsfunksjoner",
                ),
            ],
        },
        sector(
            "helse",
            "Helse og omsorg",
            [
                field(
                    "helse_evakuerte_institusjoner",
                    INTEGER,
                    "Evakuerte helse- og omsorgsinstitusjoner",
                    min=0,
                    max=500,
                )
            ],
        ),
        sector(
            "vann",
            "Vann og avløp",
            [
                field(
                    "vann_berorte",
                    INTEGER,
                    "Innbyggere uten trygt drikkevann",
                    min=0,
                    max=1_000_000,
                ),
                field(
                    "vann_kokevarsel",
                    CHOICE,
                    "Er det gitt kokevarsel?",
                    options=YES_NO_UNKNOWN,
                ),
            ],
        ),
        sector(
            "kraft_ekom",
            "Kraft og elektronisk kommunikasjon",
            [
                field(
                    "strom_uten",
                    INTEGER,
                    "Husstander uten strøm",
                    min=0,
                    max=1_000_000,
                ),
                field(
                    "ekom_utfall",
                    MULTIPLE_CHOICE,
                    "Utfall i elektronisk kommunikasjon",
                    options=options(
                        ("mobil", "Mobilnett"),
                        ("fast", "Fastnett og bredbånd"),
                        ("nodnett", "Nødnett"),
                        ("kringkasting", "Kringkasting"),
                    ),
                ),
            ],
        ),
        sector("ikt", "IKT", [field("ikt_systemer", SHORT_TEXT, "Berørte systemer")]),
        sector(
            "transport",
            "Transport og veg",
            [field("transport_stengte", SHORT_TEXT, "Stengte veger og strekninger")],
        ),
        sector(
            "evakuering",
            "Evakuering og innkvartering",
            [
                field("evakuerte", INTEGER, "Evakuerte personer", min=0, max=1_000_000),
                field(
                    "innkvartert",
                    INTEGER,
                    "Personer innkvartert av kommunen",
                    min=0,
                    max=1_000_000,
                ),
            ],
        ),
        sector(
            "informasjon",
            "Informasjon til befolkningen",
            [
                field(
                    "informasjon_kanaler",
                    MULTIPLE_CHOICE,
                    "Kanaler i bruk",
                    options=options(
                        ("nettside", "Kommunens nettside"),
                        ("sosiale_medier", "Sosiale medier"),
                        ("sms", "SMS-varsling"),
                        ("media", "Lokale medier"),
                        ("mote", "Informasjonsmøter"),
                    ),
                ),
            ],
        ),
        sector(
            "bemanning",
            "Bemanning",
            [
                field(
                    "bemanning_fravaer",
                    DECIMAL,
                    "Fravær i kritiske tjenester",
                    unit="%",
                    min=0,
                    max=100,
                    aggregate=WEIGHTED_MEAN,
                )
            ],
        ),
        {
            "key": "bistand",
            "title": "Behov for bistand",
            "fields": [
                field(
                    "bistand_behov",
                    CHOICE,
                    "Har kommunen behov for bistand?",
                    required=True,
                    options=options(("nei", "Nei"), ("ja", "Ja"), ("kan_oppsta", "Kan oppstå")),
                ),
                field(
                    "bistand_beskrivelse",
                    LONG_TEXT,
                    "Hva trengs, fra hvem og når?",
                ),
            ],
        },
        {
            "key": "vurdering",
            "title": "Kommunens samlede vurdering",
            "fields": [
                field(
                    "samlet_status",
                    SECTOR_STATUS,
                    "Samlet status for kommunen",
                    required=True,
                ),
                field(
                    "utvikling",
                    CHOICE,
                    "Forventet utvikling neste døgn",
                    required=True,
                    options=options(
                        ("bedring", "Bedring"),
                        ("uendret", "Uendret"),
                        ("forverring", "Forverring"),
                    ),
                ),
                field("vurdering", LONG_TEXT, "Vurdering av videre utvikling"),
                field("kontaktperson", SHORT_TEXT, "Kontaktperson og telefon", required=True),
            ],
        },
    ]
}

COVID_HEALTH_FORM = {
    "sections": [
        {
            "key": "smitte",
            "title": "Smitte",
            "fields": [
                field(
                    "nye_tilfeller",
                    INTEGER,
                    "Nye bekreftede tilfeller siste døgn",
                    required=True,
                    min=0,
                    max=100_000,
                ),
                field("i_isolasjon", INTEGER, "Personer i isolasjon", min=0, max=1_000_000),
                field(
                    "utbrudd_institusjoner", INTEGER, "Utbrudd i helseinstitusjoner", min=0, max=500
                ),
            ],
        },
        {
            "key": "innleggelser",
            "title": "Innleggelser",
            "fields": [
                field(
                    "innlagte",
                    INTEGER,
                    "Innlagte i sykehus fra kommunen",
                    required=True,
                    min=0,
                    max=10_000,
                ),
                field(
                    "kommunale_senger",
                    INTEGER,
                    "Pasienter i kommunale akuttsenger",
                    min=0,
                    max=10_000,
                ),
            ],
        },
        {
            "key": "vaksinasjon",
            "title": "Vaksinasjon",
            "fields": [
                field("doser_satt", INTEGER, "Doser satt siste uke", min=0, max=1_000_000),
                field(
                    "vaksinedekning",
                    DECIMAL,
                    "Vaksinedekning, voksne",
                    unit="%",
                    min=0,
                    max=100,
                    aggregate=WEIGHTED_MEAN,
                ),
            ],
        },
        {
            "key": "testing",
            "title": "Testkapasitet",
            "fields": [
                field("tester_tatt", INTEGER, "Tester tatt siste døgn", min=0, max=1_000_000),
                field(
                    "testkapasitet",
                    INTEGER,
                    "Testkapasitet per døgn",
                    required=True,
                    min=0,
                    max=1_000_000,
                ),
                field(
                    "svartid",
                    DECIMAL,
                    "Gjennomsnittlig svartid",
                    unit="timer",
                    min=0,
                    max=240,
                    aggregate=MEDIAN,
                ),
            ],
        },
        sector(
            "personell",
            "Personell",
            [
                field(
                    "fravaer_helse",
                    DECIMAL,
                    "Fravær blant helsepersonell",
                    unit="%",
                    required=True,
                    min=0,
                    max=100,
                    aggregate=WEIGHTED_MEAN,
                )
            ],
        ),
        {
            "key": "vurdering",
            "title": "Vurdering",
            "fields": [
                field(
                    "kapasitet_status",
                    SECTOR_STATUS,
                    "Kapasitet i helse- og omsorgstjenesten",
                    required=True,
                ),
                field("kommentar", LONG_TEXT, "Kommentar til Helsedirektoratet"),
            ],
        },
    ]
}

REFUGEE_SETTLEMENT_FORM = {
    "sections": [
        {
            "key": "ankomster",
            "title": "Ankomster",
            "fields": [
                field(
                    "ankomne",
                    INTEGER,
                    "Ankomne flyktninger siden forrige rapport",
                    required=True,
                    min=0,
                    max=100_000,
                ),
                field(
                    "enslige_mindrearige", INTEGER, "Herav enslige mindreårige", min=0, max=10_000
                ),
            ],
        },
        {
            "key": "bosetting",
            "title": "Bosetting",
            "fields": [
                field(
                    "bosatt",
                    INTEGER,
                    "Bosatt siden forrige rapport",
                    required=True,
                    min=0,
                    max=100_000,
                ),
                field("vedtak", INTEGER, "Kommunens vedtak om bosetting i år", min=0, max=100_000),
            ],
        },
        {
            "key": "bolig",
            "title": "Boligkapasitet",
            "fields": [
                field(
                    "ledige_boliger",
                    INTEGER,
                    "Ledige boliger nå",
                    required=True,
                    min=0,
                    max=100_000,
                ),
                field("midlertidige_plasser", INTEGER, "Midlertidige plasser", min=0, max=100_000),
                field("bolig_status", SECTOR_STATUS, "Boligsituasjonen", required=True),
            ],
        },
        {
            "key": "behov",
            "title": "Behov",
            "fields": [
                field(
                    "behov_omrader",
                    MULTIPLE_CHOICE,
                    "Områder med behov for støtte",
                    options=options(
                        ("bolig", "Bolig"),
                        ("tolk", "Tolketjenester"),
                        ("helse", "Helsetjenester"),
                        ("skole", "Skole og barnehage"),
                        ("introduksjon", "Introduksjonsprogram"),
                    ),
                ),
                field("behov_beskrivelse", LONG_TEXT, "Beskriv behovet"),
            ],
        },
    ]
}

#: (owner slug, title, description, track, kind, definition)
SEED_FORMS = [
    (
        "dsb",
        "Situasjonsrapport fra kommunen",
        "Kommunens situasjonsrapport til statsforvalteren på samordningskanal: status per "
        "sektor, behov for bistand og kommunens samlede vurdering.",
        "preparedness",
        "full",
        MUNICIPAL_SITUATION_REPORT,
    ),
    (
        "helsedirektoratet",
        "Covid-19: status i kommunen",
        "Daglig rapport om smitte, innleggelser, vaksinasjon, testkapasitet og fravær, "
        "via statsforvalteren til Helsedirektoratet.",
        "sector",
        "short",
        COVID_HEALTH_FORM,
    ),
    (
        "imdi",
        "Bosetting av flyktninger",
        "Rapport om ankomster, bosetting, boligkapasitet og behov, via statsforvalteren til IMDi.",
        "sector",
        "short",
        REFUGEE_SETTLEMENT_FORM,
    ),
]
