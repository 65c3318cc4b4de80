"""Helpers that create incidents and entries through the actions, as the app does."""

from django.utils import timezone

from incidents.log import actions
from incidents.log.models import EntryKind, IncidentType
from networks.structure.models import Organisation
from tests.personas import user


def make_incident(owner_slug="kommune-1103", author="stavanger_manager", **fields):
    defaults = {
        "title": "Flom i sentrum",
        "type": IncidentType.FLOOD,
        "started_at": timezone.now(),
    }
    return actions.do_create_incident(
        owner=Organisation.objects.get(slug=owner_slug),
        acting_user=user(author),
        **{**defaults, **fields},
    )


def write(incident, text="Vannstanden stiger", author="stavanger_manager", **fields):
    entry, _created = actions.do_write_entry(
        incident,
        acting_user=user(author),
        kind=fields.pop("kind", EntryKind.INFORMATION),
        text=text,
        **fields,
    )
    return entry
