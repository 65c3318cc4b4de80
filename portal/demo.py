"""Demo accounts: one per role, shared by ``manage.py load_demo`` (which creates them),
``./samvirke run`` (which prints them) and the README (which lists them).

Importing this module must not need Django to be set up: ``portal.devrun`` prints the
table before and after it runs management commands in child processes.

Everything here is fictional and for local development only. ``load_demo`` refuses to
run when ``SAMVIRKE_ENV=production``.
"""

from __future__ import annotations

#: One password for every demo account (meets the 12-character minimum in settings).
DEMO_PASSWORD = "Samvirke-demo-2026"

#: One TOTP secret (base32) for every account whose role requires a second factor. Add it
#: to an authenticator app by hand ("enter a setup key"), type "Samvirke demo".
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"

#: Role labels in Norwegian, as users see them (keyed by ``portal.roles.Role`` values).
ROLE_LABELS_NB = {
    "emergency_manager": "Beredskapsleder (kommune)",
    "crisis_staff": "Kriseledelse/krisestab (kommune)",
    "reader": "Lesetilgang (kommune)",
    "officer": "Saksbehandler hos Statsforvalteren",
    "national_analyst": "Nasjonal analytiker",
    "ks_analyst": "Analytiker i KS",
    "office_crisis_staff": "Kriseledelse/krisestab (Statsforvalteren, nasjonal etat, KS)",
    "liaison": "Kontaktperson (etat i beredskapsrådet)",
    "network_coordinator": "Nettverkskoordinator",
    "administrator": "Administrator",
}

# Kept in step with portal.roles.MFA_REQUIRED_ROLES (load_demo asserts it).
_TOTP_ROLES = {"officer", "office_crisis_staff", "national_analyst", "administrator"}


def _account(
    email,
    first_name,
    last_name,
    role,
    org_slug,
    organisation,
    title,
    *,
    network=None,
    extra_roles=(),
    staff=False,
):
    roles = [{"org_slug": org_slug, "role": role, "network": network, "title": title}]
    roles += [dict(r, network=r.get("network")) for r in extra_roles]
    return {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "role_label": ROLE_LABELS_NB[role]
        + "".join(f" + {ROLE_LABELS_NB[r['role']].split(' (')[0].lower()}" for r in extra_roles),
        "organisation": organisation,
        "org_slug": org_slug,
        "title": title,
        "roles": roles,
        "is_staff": staff,
        "is_superuser": staff,
        "needs_totp": any(r["role"] in _TOTP_ROLES for r in roles),
    }


DEMO_ACCOUNTS = [
    _account(
        "bergen.beredskap@demo.samvirke.no",
        "Ingrid",
        "Haugland",
        "emergency_manager",
        "kommune-4601",
        "Bergen kommune",
        "Beredskapssjef",
    ),
    _account(
        "stavanger.beredskap@demo.samvirke.no",
        "Ole Martin",
        "Tjelta",
        "emergency_manager",
        "kommune-1103",
        "Stavanger kommune",
        "Beredskapssjef",
    ),
    _account(
        "sandnes.beredskap@demo.samvirke.no",
        "Kari",
        "Skjæveland",
        "emergency_manager",
        "kommune-1108",
        "Sandnes kommune",
        "Beredskapskoordinator",
    ),
    _account(
        "drammen.krisestab@demo.samvirke.no",
        "Anders",
        "Kolstad",
        "crisis_staff",
        "kommune-3301",
        "Drammen kommune",
        "Rådgiver i kommunens kriseledelse",
    ),
    _account(
        "sandnes.lesetilgang@demo.samvirke.no",
        "Marte",
        "Ådnanes",
        "reader",
        "kommune-1108",
        "Sandnes kommune",
        "Kommunalsjef helse og velferd",
    ),
    _account(
        "vestland.statsforvalter@demo.samvirke.no",
        "Sigrid",
        "Myklebust",
        "officer",
        "statsforvalteren-vestland",
        "Statsforvaltaren i Vestland",
        "Seniorrådgjevar, samfunnstryggleik og beredskap",
    ),
    _account(
        "rogaland.statsforvalter@demo.samvirke.no",
        "Torstein",
        "Vigre",
        "officer",
        "statsforvalteren-rogaland",
        "Statsforvalteren i Rogaland",
        "Seniorrådgiver, samfunnssikkerhet og beredskap",
    ),
    _account(
        "ost.statsforvalter@demo.samvirke.no",
        "Kristin",
        "Hovde",
        "officer",
        "statsforvalteren-ostfold-buskerud-oslo-og-akershus",
        "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus",
        "Seniorrådgiver, samfunnssikkerhet og beredskap",
        # She sits in the office's crisis staff: writes its regional crisis log.
        extra_roles=(
            {
                "org_slug": "statsforvalteren-ostfold-buskerud-oslo-og-akershus",
                "role": "office_crisis_staff",
                "title": "Krisestab, Statsforvalteren",
            },
        ),
    ),
    _account(
        "dsb.analytiker@demo.samvirke.no",
        "Hanne",
        "Brekke",
        "national_analyst",
        "dsb",
        "DSB",
        "Seniorrådgiver, nasjonalt situasjonsbilde",
    ),
    _account(
        "helsedirektoratet.analytiker@demo.samvirke.no",
        "Magnus",
        "Lunde",
        "national_analyst",
        "helsedirektoratet",
        "Helsedirektoratet",
        "Seniorrådgiver, nasjonalt situasjonsbilde helse",
    ),
    _account(
        "ks.analytiker@demo.samvirke.no",
        "Erik",
        "Nordby",
        "ks_analyst",
        "ks",
        "KS",
        "Spesialrådgiver, samfunnssikkerhet og beredskap",
    ),
    _account(
        "snb.koordinator@demo.samvirke.no",
        "Siri",
        "Lie Aune",
        "network_coordinator",
        "kommune-5001",
        "Trondheim kommune (SNB)",
        "Koordinator, Storbynettverk beredskap",
        network="snb",
        extra_roles=[
            {"org_slug": "kommune-5001", "role": "crisis_staff", "title": "Beredskapsrådgiver"}
        ],
    ),
    _account(
        "admin@demo.samvirke.no",
        "Jonas",
        "Berg",
        "administrator",
        "ks",
        "KS",
        "Systemansvarlig for Samvirke",
        staff=True,
    ),
]


def accounts_table(*, password: bool = True) -> str:
    """The demo accounts as a plain-text table for the terminal."""
    rows = [("E-post", "Rolle", "Organisasjon", "TOTP-nøkkel")]
    for a in DEMO_ACCOUNTS:
        rows.append(
            (
                a["email"],
                a["role_label"],
                a["organisation"],
                DEMO_TOTP_SECRET if a["needs_totp"] else "–",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if password:
        lines.append("")
        lines.append(f"Passord for alle: {DEMO_PASSWORD}")
        lines.append(
            f"TOTP: legg inn nøkkelen {DEMO_TOTP_SECRET} manuelt i en autentiseringsapp "
            "(tidsbasert, 6 siffer, 30 s)."
        )
    return "\n".join(lines)
