"""Demo messages: DSB's word down during "Ekstremværet Hans" (August 2023) and Covid-19
(March 2020), and the Øst office's to its municipalities, with a realistic read pattern:
the big municipalities read within the hour, most others the same day, some never (those
are the ones a reminder is for). Sent through the action (recipients resolved, notices
written), then dated back to when they were sent; the notices of those old messages are
removed again (they would be news of 2020 and 2023). Idempotent: a message already there
(same sender and title) is left as it is."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from incidents.log.models import CrisisFrame
from networks.information.actions import do_send_message
from networks.information.models import Message, MessageRecipient, Urgency
from networks.structure.models import Office, Organisation
from portal.models import Notification, RoleAssignment

OSLO = ZoneInfo("Europe/Oslo")
DSB_ANALYST = "dsb.analytiker@demo.samvirke.no"
OEST_OFFICER = "ost.statsforvalter@demo.samvirke.no"

MESSAGES: list[dict[str, Any]] = [
    {
        "sender": "dsb",
        "author": DSB_ANALYST,
        "frame": "Ekstremværet Hans",
        "sent": "2023-08-07 14:30",
        "title": "Ekstremværet «Hans»: rødt farevarsel – vurder evakuering",
        "urgency": Urgency.URGENT,
        "regions": ["ostfold-buskerud-oslo-og-akershus", "innlandet"],
        "body": (
            "Meteorologisk institutt har sendt ut **rødt farevarsel** for regn for deler av "
            "Buskerud og Innlandet fra mandag kveld til onsdag, og NVE varsler flom på rødt "
            "nivå i Drammensvassdraget og Glomma.\n\n"
            "DSB ber kommunene om å\n\n"
            "- vurdere evakuering av utsatte områder nå, før vannet stiger;\n"
            "- sikre kritisk infrastruktur (vann, avløp, strøm) og informere innbyggerne;\n"
            "- melde situasjonen til statsforvalteren hver sjette time.\n\n"
            "Spørsmål kan stilles her på meldingen."
        ),
        "read_share": 0.85,
    },
    {
        "sender": "dsb",
        "author": DSB_ANALYST,
        "frame": "Ekstremværet Hans",
        "sent": "2023-08-09 09:00",
        "title": "«Hans»: situasjonsrapport til statsforvalteren kl. 12 og 18",
        "urgency": Urgency.IMPORTANT,
        "regions": ["ostfold-buskerud-oslo-og-akershus", "innlandet"],
        "body": (
            "Situasjonsrapporten leveres i Samvirke i rapporteringsrunden fra statsforvalteren. "
            "Meld særlig om evakuerte, stengte veier og behov for bistand."
        ),
        "read_share": 0.7,
    },
    {
        "sender": "statsforvalteren-ostfold-buskerud-oslo-og-akershus",
        "author": OEST_OFFICER,
        "frame": "Ekstremværet Hans",
        "sent": "2023-08-08 16:00",
        "title": "Kommunemøte om «Hans» onsdag kl. 09.00",
        "urgency": Urgency.INFORMATION,
        "regions": ["ostfold-buskerud-oslo-og-akershus"],
        "body": "Statsforvalteren innkaller til kommunemøte på Teams. Lenke kommer i innkallingen.",
        "read_share": 0.8,
    },
    {
        "sender": "dsb",
        "author": DSB_ANALYST,
        "frame": "Covid-19",
        "sent": "2020-03-12 19:00",
        "title": "Covid-19: nasjonale tiltak fra 12. mars",
        "urgency": Urgency.URGENT,
        "all": True,
        "body": (
            "Regjeringen har vedtatt de sterkeste og mest inngripende tiltakene Norge har hatt "
            "i fredstid. Barnehager, skoler og andre utdanningsinstitusjoner stenges. "
            "Kommunene bes sette kriseledelsen og gjennomgå planene for kritiske tjenester."
        ),
        "read_share": 0.95,
    },
    {
        "sender": "dsb",
        "author": DSB_ANALYST,
        "frame": "Covid-19",
        "sent": "2020-03-20 10:00",
        "title": "Covid-19: ukentlig rapportering til statsforvalteren",
        "urgency": Urgency.IMPORTANT,
        "all": True,
        "body": (
            "Fra neste uke rapporterer kommunene konsekvenser for kritiske samfunnsfunksjoner "
            "til statsforvalteren hver uke (STAF-skjemaet)."
        ),
        "read_share": 0.6,
    },
]


def _spread(key: str) -> float:
    """A stable number in [0, 1) for ``key`` (the same pattern on every load)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0x100000000


def _reader(organisation, cache) -> Any:
    """Who read for the organisation: a demo account of it, else its demo reader (a
    municipality reader account without a password)."""
    if organisation.pk in cache:
        return cache[organisation.pk]
    User = get_user_model()
    assignment = (
        RoleAssignment.objects.filter(organisation=organisation).select_related("user").first()
    )
    if assignment is not None:
        user = assignment.user
    else:
        user, created = User.objects.get_or_create(
            username=f"demo-leser-{organisation.slug}",
            defaults={
                "first_name": "Beredskapsvakt",
                "last_name": organisation.display_name,
                "email": f"demo-leser-{organisation.slug}@demo.samvirke.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            role = "reader" if organisation.kind == "municipality" else "liaison"
            RoleAssignment.objects.get_or_create(user=user, organisation=organisation, role=role)
    cache[organisation.pk] = user
    return user


def load_messages(stdout=None) -> int:
    """Load the demo messages; returns how many were made."""
    User = get_user_model()
    made = 0
    readers: dict[int, Any] = {}
    for spec in MESSAGES:
        sender = Organisation.objects.get(slug=spec["sender"])
        if Message.objects.filter(sender=sender, title=spec["title"]).exists():
            continue
        author = User.objects.filter(email=spec["author"]).first()
        if author is None:
            continue  # the demo accounts are loaded first
        sent = datetime.strptime(spec["sent"], "%Y-%m-%d %H:%M").replace(tzinfo=OSLO)
        message = do_send_message(
            sender=sender,
            acting_user=author,
            title=spec["title"],
            body=spec["body"],
            urgency=spec["urgency"],
            all_municipalities=spec.get("all", False),
            regions=list(Office.objects.filter(slug__in=spec.get("regions", []))),
            frame=CrisisFrame.objects.filter(title=spec["frame"]).first(),
        )
        Message.objects.filter(pk=message.pk).update(sent_at=sent)
        Notification.objects.filter(event_key=f"message {message.uuid}").delete()
        rows = MessageRecipient.objects.filter(message=message).select_related(
            "organisation__municipality"
        )
        for row in rows:
            municipality = getattr(row.organisation, "municipality", None)
            population = municipality.population if municipality else 10_000
            # Bigger municipalities (a staffed emergency function) read more often, sooner;
            # the big cities (over 100 000) always, within the hour and a half.
            share = min(0.99, spec["read_share"] + (0.1 if population > 50_000 else 0))
            if population > 100_000:
                share = 1.0
            chance = _spread(f"{message.title}/{row.organisation.slug}")
            if chance >= share:
                continue
            hours = chance / share * (1.5 if population > 50_000 else 20)
            row.read_at = sent + timedelta(minutes=4 + hours * 60)
            row.read_by = _reader(row.organisation, readers)
            row.save(update_fields=["read_at", "read_by"])
        made += 1
    if stdout is not None:
        stdout.write(f"Demo messages: {made} made.")
    return made
