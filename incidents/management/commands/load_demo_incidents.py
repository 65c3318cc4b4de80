"""Load the demo incidents on top of the demo data (run ``load_structure`` and
``load_demo`` first).

What it adds (texts in :mod:`incidents.log.demo_data`):

* the crisis frame "Ekstremværet Hans" (DSB) with Drammen's flood incident and its log,
  shared with the State Administrator office and, for one entry, with the neighbour Lier;
* the crisis frame "Covid-19" (registered by DSB) with the logs of Bergen, Stavanger
  (shared with the Nord-Jæren network) and Trondheim (one entry shared with SNB);
* the exercise frame "Øvelse Vestland 2026 – langvarig strømbrudd" (Statsforvaltaren i
  Vestland) with Bergen's exercise incident, shared with the office;
* tasks, several made from action entries.

Only organisations with a demo account that may write (emergency manager or crisis staff)
get incidents; the entries are written by those accounts.

Idempotent: frames are matched on title, incidents on (owner, title), tasks on (incident,
title), shares on what they open to whom; every entry carries a fixed idempotency key,
so ``do_write_entry`` hands back the existing entry. A second run writes nothing. Every
write goes through ``incidents.log.actions`` (frames through ``do_create_frame``, by the demo
account that may hold them). Frames, incidents, tasks and shares are edited in the portal
once they exist, so an existing one is left as it is.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from incidents.log import actions, demo_data
from incidents.log.models import CrisisFrame, Incident, IncidentStatus, LogEntry, Share, Task
from networks.structure.models import Municipality, Network, Organisation
from portal.models import User

OSLO = ZoneInfo("Europe/Oslo")


def at(text: str | None) -> datetime | None:
    """ "2023-08-07 07:30" (Oslo time) as an aware datetime."""
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=OSLO)


def entry_key(incident_key: str, key: str) -> str:
    return f"demo:{incident_key}:{key}"


class Command(BaseCommand):
    help = "Load demo incidents and crisis logs (Ekstremværet Hans, Covid-19, an exercise)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo_incidents writes fictional logs under demo accounts.")
        emails = {i["author"] for i in demo_data.INCIDENTS} | {
            f["created_by"] for f in demo_data.FRAMES.values()
        }
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if set(self.users) != emails:
            raise CommandError("Run `manage.py load_demo` first (the demo accounts are missing).")

        self.counts = Counter()
        started = time.monotonic()
        # No outer pghistory.context: nested contexts merge into the outer one, and every
        # history event would then name the last acting user. Each action sets its own.
        with transaction.atomic():
            frames = {key: self.load_frame(spec) for key, spec in demo_data.FRAMES.items()}
            for spec in demo_data.INCIDENTS:
                self.load_incident(spec, frames[spec["frame"]])

        created = sum(v for (_, s), v in self.counts.items() if s == "created")
        unchanged = sum(v for (_, s), v in self.counts.items() if s == "unchanged")
        detail = ", ".join(
            f"{model} +{n}" for (model, s), n in sorted(self.counts.items()) if s == "created"
        )
        self.stdout.write(
            f"Demo incidents: {created} created, {unchanged} unchanged"
            f"{f' ({detail})' if detail else ''} in {time.monotonic() - started:.2f} s."
        )

    def count(self, model, status):
        self.counts[(model.__name__, status)] += 1

    # --- the parts -----------------------------------------------------------------

    def load_frame(self, spec) -> CrisisFrame:
        frame = CrisisFrame.objects.filter(title=spec["title"]).first()
        if frame is not None:
            self.count(CrisisFrame, "unchanged")
            return frame
        frame = actions.do_create_frame(
            owner=Organisation.objects.get(slug=spec["owner"]),
            acting_user=self.users[spec["created_by"]],
            title=spec["title"],
            type=spec["type"],
            description=spec["description"],
            is_exercise=spec["is_exercise"],
            started_at=at(spec["started_at"]),
            ended_at=at(spec["ended_at"]),
        )
        self.count(CrisisFrame, "created")
        return frame

    def load_incident(self, spec, frame):
        author = self.users[spec["author"]]
        owner = Organisation.objects.get(slug=spec["owner"])
        incident = Incident.objects.filter(owner=owner, title=spec["title"]).first()
        if incident is None:
            incident = self.create_incident(spec, frame, owner, author)
        else:
            self.count(Incident, "unchanged")

        entries = self.load_entries(spec, incident, author)
        self.load_shares(spec, incident, entries, author)
        self.load_tasks(spec, incident, entries, author)

    def create_incident(self, spec, frame, owner, author) -> Incident:
        """Created active with crisis management set up, then taken through its status
        changes (so the incident's history shows them)."""
        incident = actions.do_create_incident(
            owner=owner,
            acting_user=author,
            affected=Municipality.objects.filter(number__in=spec["affected"]),
            frame=frame,
            title=spec["title"],
            type=spec["type"],
            severity=spec["severity"],
            description=spec["description"],
            started_at=at(spec["started_at"]),
            crisis_management_active=True,
        )
        if spec["status"] in (IncidentStatus.MONITORING, IncidentStatus.CLOSED):
            incident = actions.do_update_incident(
                incident, acting_user=author, status=IncidentStatus.MONITORING
            )
        if spec["status"] == IncidentStatus.CLOSED:
            incident = actions.do_update_incident(
                incident,
                acting_user=author,
                status=IncidentStatus.CLOSED,
                ended_at=at(spec["ended_at"]),
                crisis_management_active=False,
            )
        self.count(Incident, "created")
        return incident

    def load_entries(self, spec, incident, author) -> dict[str, LogEntry]:
        entries: dict[str, LogEntry] = {}
        for e in spec["entries"]:
            entry, created = actions.do_write_entry(
                incident,
                acting_user=author,
                kind=e.kind,
                text=e.text,
                occurred_at=at(e.at),
                exempt=bool(e.exempt_basis),
                exempt_basis=e.exempt_basis,
                links=[entries[k] for k in e.links],
                corrects=entries[e.corrects] if e.corrects else None,
                correction_type=e.correction,
                responds_to=self.answered(e.answers) if e.answers else None,
                idempotency_key=entry_key(spec["key"], e.key),
            )
            if entry.incident_id != incident.pk:
                raise CommandError(f"{entry_key(spec['key'], e.key)} belongs to another incident.")
            entries[e.key] = entry
            self.count(LogEntry, "created" if created else "unchanged")
        return entries

    def answered(self, reference):
        """The entry of another demo log that ``reference`` ("incident key:entry key")
        names; loaded before (INCIDENTS lists it earlier)."""
        incident_key, key = reference.rsplit(":", 1)
        entry = LogEntry.objects.filter(idempotency_key=entry_key(incident_key, key)).first()
        if entry is None:
            raise CommandError(f"{reference}: the answered entry is not loaded (list it first).")
        return entry

    def load_shares(self, spec, incident, entries, author):
        for share in spec["shares"]:
            if share.get("region"):
                new = actions.do_share_with_region(acting_user=author, incident=incident)
                self.count(Share, "created" if new else "unchanged")
                continue
            subject = (
                {"entry": entries[share["entry"]], "incident": None}
                if "entry" in share
                else {"incident": incident, "entry": None}
            )
            audience = (
                {"network": Network.objects.get(slug=share["network"]), "organisation": None}
                if "network" in share
                else {
                    "organisation": Organisation.objects.get(slug=share["organisation"]),
                    "network": None,
                }
            )
            if Share.objects.filter(**subject, **audience).exists():
                self.count(Share, "unchanged")
                continue
            actions.do_share(acting_user=author, **subject, **audience)
            self.count(Share, "created")

    def load_tasks(self, spec, incident, entries, author):
        existing = set(Task.objects.filter(incident=incident).values_list("title", flat=True))
        for task in spec["tasks"]:
            if task["title"] in existing:
                self.count(Task, "unchanged")
                continue
            fields = {
                "description": task.get("description", ""),
                "due_at": at(task.get("due_at")),
                "status": task.get("status", "open"),
                "assignee_role": task.get("assignee_role", ""),
            }
            if "assignee_user" in task:
                fields["assignee_user"] = User.objects.get(email=task["assignee_user"])
            if "assignee_organisation" in task:
                fields["assignee_organisation"] = Organisation.objects.get(
                    slug=task["assignee_organisation"]
                )
            actions.do_create_task(
                incident,
                acting_user=author,
                title=task["title"],
                source_entry=entries[task["from"]] if task.get("from") else None,
                **fields,
            )
            self.count(Task, "created")
