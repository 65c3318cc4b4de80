"""A message as a CAP 1.2 alert (OASIS Common Alerting Protocol, the schema in
``networks/information/cap/CAP-v1.2-os.xsd``): ``msgType`` Alert, ``scope`` Restricted
(the message is for its recipients only), one ``info`` in Norwegian, and one ``area``
whose ``geocode``s are the recipients' municipality numbers (valueName
``MunicipalityId``, as MET Norway's and NVE's CAP profile names them). An exempt message
carries only its title and a pointer to the portal: its text stays inside Samvirke.

CAP's dateTime has whole seconds and a numeric offset (never "Z"), so times are written
in Europe/Oslo with ``+01:00``/``+02:00``."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone

from networks.information.models import Urgency
from networks.structure.models import Municipality

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"

#: urgency → (CAP urgency, CAP severity)
CAP_LEVELS = {
    Urgency.URGENT: ("Immediate", "Severe"),
    Urgency.IMPORTANT: ("Expected", "Moderate"),
    Urgency.INFORMATION: ("Future", "Minor"),
}


def cap_datetime(value) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _sub(parent, tag, text=None):
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def municipality_numbers(message) -> list[str]:
    return list(
        Municipality.objects.filter(organisation__in=message.recipients.values("organisation_id"))
        .order_by("number")
        .values_list("number", flat=True)
    )


def message_cap_xml(message) -> bytes:
    """The CAP 1.2 document for ``message`` (UTF-8 bytes with the XML declaration)."""
    ET.register_namespace("", NAMESPACE)
    site = settings.SITE_URL.rstrip("/")
    alert = ET.Element(f"{{{NAMESPACE}}}alert")
    _sub(alert, "identifier", f"samvirke.melding.{message.uuid}")
    _sub(alert, "sender", f"{message.sender.slug}@samvirke.no")
    _sub(alert, "sent", cap_datetime(message.sent_at))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", "Alert")
    _sub(alert, "source", message.sender.name)
    _sub(alert, "scope", "Restricted")
    _sub(alert, "restriction", "Mottakerne av meldingen i Samvirke")
    if message.exempt:
        _sub(alert, "note", f"Unntatt offentlighet, {message.exempt_basis}")
    urgency, severity = CAP_LEVELS[Urgency(message.urgency)]
    info = _sub(alert, "info")
    _sub(info, "language", "no")
    _sub(info, "category", "Safety")
    _sub(info, "event", message.frame.title if message.frame_id else message.title)
    _sub(info, "urgency", urgency)
    _sub(info, "severity", severity)
    _sub(info, "certainty", "Observed")
    _sub(info, "senderName", message.sender.name)
    _sub(info, "headline", message.title[:160])
    if message.exempt:
        _sub(info, "description", "Meldingen er unntatt offentlighet: les den i Samvirke.")
    else:
        _sub(info, "description", message.body)
    _sub(info, "web", f"{site}/meldinger/{message.uuid}/")
    numbers = municipality_numbers(message)
    area = _sub(info, "area")
    _sub(area, "areaDesc", f"{len(numbers)} kommuner" if numbers else "Mottakerne")
    for number in numbers:
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "MunicipalityId")
        _sub(geocode, "value", number)
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True)
