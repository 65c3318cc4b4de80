"""A compiled picture as an OASIS EDXL-SitRep 1.0 document (XML)."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exports.files import EXERCISE_MARK
from portal.exports.times import iso
from reporting.exports.sources import (
    compilation_aggregates,
    compilation_place,
    number_table,
    round_is_exercise,
)
from reporting.validation import STATUSES

# OASIS EDXL-SitRep 1.0, Committee Specification 02 (06 Oct 2016). The official schema
# files are not available offline (../shared/standards/README.md), so the document is
# built from what could be verified of CS02 (see docs/decisions/0002-reporting-exports.md):
#
# * root ``sitRep`` in ``urn:oasis:names:tc:emergency:EDXL:SitRep:1.0``; element names are
#   lowerCamelCase and their order is fixed (SITREP_ORDER below);
# * ``preparedBy`` / ``authorizedBy`` are EDXL-CT PersonTimePairs (ct:personDetails with a
#   CIQ xNL person name, ct:timeValue); ``forTimePeriod`` is ct:fromDateTime/ct:toDateTime;
# * times are EDXLDateTime: seconds, an explicit offset (+01:00), never "Z";
# * the report body is ``report`` with ``xsi:type="sitrep:FieldObservationType"``.
#
# All construction happens in :func:`sitrep_document`, from one plain dict, so a schema
# validation (xmlschema with ``allow="sandbox"``) can be added in one place once the XSDs
# are in the project.

SITREP_NS = "urn:oasis:names:tc:emergency:EDXL:SitRep:1.0"
CT_NS = "urn:oasis:names:tc:emergency:edxl:ct:1.0"
XNL_NS = "urn:oasis:names:tc:emergency:edxl:ciq:1.0:xnl"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = {"sitrep": SITREP_NS, "ct": CT_NS, "xnl": XNL_NS, "xsi": XSI_NS}

#: The children of ``sitRep`` in schema order, with how often each may occur.
SITREP_ORDER = (
    ("messageID", "1"),
    ("preparedBy", "1"),
    ("authorizedBy", "1"),
    ("reportPurpose", "1"),  # free text (ct:EDXLStringType), not an enumeration
    ("reportNumber", "1"),
    ("reportVersion", "1"),
    ("forTimePeriod", "1"),
    ("reportTitle", "?"),
    ("incidentID", "+"),
    ("incidentLifecyclePhase", "*"),
    ("originatingMessageID", "?"),
    ("precedingMessageID", "*"),
    ("urgency", "?"),
    ("reportConfidence", "1"),
    ("severity", "?"),
    ("reportingLocation", "?"),
    ("actionPlan", "?"),
    ("nextContact", "?"),
    ("report", "1"),
)
#: FieldObservationType's children in order.
FIELD_OBSERVATION_ORDER = (
    ("observationLocation", "1"),
    ("immediateNeeds", "1"),
    ("immediateNeedsCategory", "*"),
    ("observationText", "1"),
)

# The default value lists of CS02.
REPORT_VERSIONS = ("Initial", "Update", "Final")
LIFECYCLE_PHASES = ("Preparedness", "Response", "Mitigation", "Recovery")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
CONFIDENCES = ("HighlyConfident", "SomewhatConfident", "Unsure", "NoConfidence")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
IMMEDIATE_NEEDS_CATEGORIES = (
    "EmergencyMedicalServices",
    "FireAndHazardousMaterials",
    "IncidentManagement",
    "LawEnforcement",
    "MassCare",
    "MedicalAndPublicHealth",
    "PublicWorks",
    "SearchAndRescue",
)

for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def edxl_datetime(value: datetime) -> str:
    """EDXLDateTime: no fractional seconds, an explicit offset, never "Z"."""
    return iso(value)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def sitrep_document(values: dict) -> bytes:
    """The EDXL-SitRep XML from ``values`` (keys as in SITREP_ORDER; see
    :func:`sitrep_values`). Every element is made here, in schema order."""

    def text(parent, name, value, ns=SITREP_NS):
        element = ET.SubElement(parent, _q(ns, name))
        element.text = str(value)
        return element

    def person_time(parent, name, person, when):
        pair = ET.SubElement(parent, _q(SITREP_NS, name))
        details = ET.SubElement(pair, _q(CT_NS, "personDetails"))
        person_name = ET.SubElement(details, _q(XNL_NS, "personName"))
        text(person_name, "nameElement", person, XNL_NS)
        text(pair, "timeValue", edxl_datetime(when), CT_NS)

    root = ET.Element(_q(SITREP_NS, "sitRep"))
    for name, _occurs in SITREP_ORDER:
        value = values.get(name)
        if value is None or value == []:
            continue
        if name in ("preparedBy", "authorizedBy"):
            person_time(root, name, *value)
        elif name == "forTimePeriod":
            period = ET.SubElement(root, _q(SITREP_NS, name))
            text(period, "fromDateTime", edxl_datetime(value[0]), CT_NS)
            text(period, "toDateTime", edxl_datetime(value[1]), CT_NS)
        elif name == "report":
            report = ET.SubElement(root, _q(SITREP_NS, "report"))
            report.set(_q(XSI_NS, "type"), "sitrep:FieldObservationType")
            for child, _occurs in FIELD_OBSERVATION_ORDER:
                child_value = value.get(child)
                if child == "observationLocation":
                    location = ET.SubElement(report, _q(SITREP_NS, child))
                    political = ET.SubElement(location, _q(CT_NS, "EDXLGeoPoliticalLocation"))
                    geo_code = ET.SubElement(political, _q(CT_NS, "geoCode"))
                    text(geo_code, "valueListURI", child_value[0], CT_NS)
                    text(geo_code, "value", child_value[1], CT_NS)
                elif isinstance(child_value, list | tuple):
                    for item in child_value:
                        text(report, child, item)
                elif child_value is not None:
                    text(report, child, child_value)
        elif isinstance(value, list | tuple):
            for item in value:
                text(root, name, item)
        else:
            text(root, name, value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _worst_status(aggregates) -> str | None:
    totals = {"red": 0, "yellow": 0, "green": 0}
    for status in aggregates.get("statuses", {}).values():
        for key in totals:
            totals[key] += status.get(key, 0)
    for key in ("red", "yellow", "green"):
        if totals[key]:
            return key
    return None


#: The worst sector status reported → (urgency, severity).
URGENCY_SEVERITY = {
    "red": ("Immediate", "Severe"),
    "yellow": ("Expected", "Moderate"),
    "green": ("Future", "Minor"),
    None: ("Unknown", "Unknown"),
}


def _confidence(counts) -> str:
    """How much of the region answered: the picture is as sure as its coverage."""
    recipients = counts.get("recipients", 0)
    rate = counts.get("submitted", 0) / recipients if recipients else 0
    if rate >= 0.9:
        return "HighlyConfident"
    if rate >= 0.5:
        return "SomewhatConfident"
    if rate > 0:
        return "Unsure"
    return "NoConfidence"


def _observation_text(compilation, aggregates) -> str:
    counts = aggregates.get("counts", {})
    lines = [
        _("Assessment: %(text)s")
        % {"text": compilation.picture_assessment or _("No assessment written yet.")},
        _(
            "Reports: %(submitted)s of %(recipients)s submitted (%(late)s late), "
            "%(missing)s missing, %(awaiting)s not yet due."
        )
        % {k: counts.get(k, 0) for k in ("submitted", "recipients", "late", "missing", "awaiting")},
    ]
    for status in aggregates.get("statuses", {}).values():
        lines.append(
            f"{status['label']}: "
            + ", ".join(f"{STATUSES[k]} {status.get(k, 0)}" for k in ("green", "yellow", "red"))
            + f", {_('not given')} {status.get('none', 0)}"
        )
    header, rows = number_table(
        aggregates.get("numbers", {}), compilation.round.form_version.definition
    )
    for label, how, value, rate, *_rest in rows:
        # a sum only for a count; a rate or percentage as its weighted mean, a duration
        # as its median; a field that is not put together says nothing here
        if value is not None:
            per = f", {rate} {_('per 1,000 inhabitants')}" if rate is not None else ""
            lines.append(f"{label}: {value} ({how.lower()}{per})")
    return "\n".join(lines)


def sitrep_values(compilation) -> dict:
    """What the compiled picture says, in EDXL-SitRep's terms."""
    round_ = compilation.round
    aggregates = compilation_aggregates(compilation)
    counts = aggregates.get("counts", {})
    exercise = round_is_exercise(round_)
    now = timezone.now()
    when = compilation.published_at or now
    person = (
        (compilation.published_by.get_full_name() or compilation.published_by.username)
        if compilation.published_by_id
        else compilation.author_org.name
    )
    person = f"{person}, {compilation.author_org.name}" if compilation.published_by_id else person
    place = compilation_place(compilation)
    purpose = _("Compiled situation picture from %(org)s for the reporting round “%(round)s”.") % {
        "org": compilation.author_org.name,
        "round": round_.title,
    }
    title = f"{round_.title} – {place}"
    if exercise:
        purpose = f"{EXERCISE_MARK}: {purpose}"
        title = f"{EXERCISE_MARK}: {title}"
    if compilation.published_at is None:
        version = "Initial"
    else:
        version = "Final" if round_.closed_at else "Update"
    # The published picture's number; a draft (its author's preview) counts its saves.
    number = compilation.published_version or compilation.version
    urgency, severity = URGENCY_SEVERITY[_worst_status(aggregates)]
    incident_ids = [f"urn:samvirke:round:{round_.uuid}"]
    if round_.frame_id:
        incident_ids.insert(0, f"urn:samvirke:crisis-frame:{round_.frame.uuid}")
    if round_.incident_id:
        incident_ids.insert(0, f"urn:samvirke:incident:{round_.incident.uuid}")
    needs = aggregates.get("needs_help", [])
    if compilation.office_id:
        location = ("urn:samvirke:state-administrator-region", compilation.office.name)
    else:
        location = ("urn:iso:std:iso:3166:-1", "NO")
    return {
        "messageID": f"urn:samvirke:sitrep:{compilation.uuid}:{number}",
        "preparedBy": (person, when),
        "authorizedBy": (person, when),
        "reportPurpose": purpose,
        "reportNumber": number,
        "reportVersion": version,
        "forTimePeriod": (round_.opened_at, when),
        "reportTitle": title,
        "incidentID": incident_ids,
        "incidentLifecyclePhase": ["Response"],
        "urgency": urgency,
        "reportConfidence": _confidence(counts),
        "severity": severity,
        "report": {
            "observationLocation": location,
            "immediateNeeds": "; ".join(
                f"{n['municipality']}: {', '.join(n['reasons'])}" for n in needs
            )
            or _("No municipality reported a need for help."),
            "observationText": _observation_text(compilation, aggregates),
        },
    }


def compilation_edxl(compilation) -> bytes:
    """The compiled picture as an EDXL-SitRep 1.0 document (CS02)."""
    return sitrep_document(sitrep_values(compilation))
