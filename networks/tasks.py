"""Background work for the preparedness structure."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, mailers
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from networks.resources.tasks import flag_expiring_agreements  # noqa: F401 - Celery finds it here
from networks.structure.models import ContactEntry, Organisation
from portal.models import RoleAssignment
from portal.roles import Role

logger = logging.getLogger(__name__)

#: A roster none of whose lines changed for this long is stale.
STALE_AFTER = timedelta(days=180)
#: Longer than a week, so the key outlives the ISO week it stands for.
SENT_KEY_TIMEOUT = int(timedelta(days=8).total_seconds())


def stale_roster_organisations(now=None):
    """Organisations with an active emergency manager whose crisis contact roster
    (beredskapskontakter) is empty or has no line updated within :data:`STALE_AFTER`."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    managers = RoleAssignment.objects.filter(
        organisation=OuterRef("pk"),
        role=Role.EMERGENCY_MANAGER,
        user__is_active=True,
    ).exclude(user__email="")
    fresh = ContactEntry.objects.filter(organisation=OuterRef("pk"), updated_at__gte=cutoff)
    return (
        Organisation.objects.filter(Exists(managers))
        .exclude(Exists(fresh))
        .annotate(last_update=Max("contacts__updated_at"))
        .order_by("name")
    )


def sent_key(organisation_id: int, today) -> str:
    year, week, _ = today.isocalendar()
    return f"roster-reminder:{organisation_id}:{year}-W{week:02d}"


def reminder_message(organisation, manager, today) -> EmailMessage:
    url = settings.SITE_URL.rstrip("/") + reverse(
        "networks:roster", kwargs={"org_uuid": organisation.uuid}
    )
    if organisation.last_update is None:
        status = f"{organisation.name} har ingen beredskapskontakter registrert i Samvirke."
    else:
        last = timezone.localtime(organisation.last_update).date()
        status = (
            f"Beredskapskontaktene for {organisation.name} ble sist oppdatert "
            f"{last:%d.%m.%Y}, for {(today - last).days} dager siden."
        )
    body = (
        f"Hei {manager.first_name or manager.email},\n\n"
        f"{status}\n\n"
        "I en krise er det denne listen Statsforvalteren og samarbeidskommunene bruker for å "
        "nå kriseledelsen deres. Gå gjennom den og kontroller at navn, telefonnumre, "
        "stedfortredere og tilgjengelighet stemmer. Lagre hver linje når den er kontrollert, "
        "så vet vi at listen er à jour:\n\n"
        f"{url}\n\n"
        "Hilsen\nSamvirke\n\n"
        "--\n"
        f"Du får denne e-posten fordi du er beredskapsleder for {organisation.name} i "
        "Samvirke. Påminnelsen sendes høyst én gang i uken, så lenge ingen linje i listen er "
        f"oppdatert de siste {STALE_AFTER.days} dagene.\n"
    )
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Påminnelse: oppdater "
        f"beredskapskontaktene for {organisation.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[manager.email],
    )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def remind_stale_contact_rosters() -> int:
    """E-mail the emergency managers of every organisation whose crisis contact roster is
    stale (see :func:`stale_roster_organisations`), once per organisation and ISO week.

    Idempotent: before sending, an atomic ``cache.add`` claims the key for the
    organisation and week, so a retried or duplicated run skips what was sent. If sending
    fails the claim is released and the task retries (SMTP errors are ``OSError``s).
    Returns the number of e-mails sent.
    """
    today = timezone.localdate()
    organisations = list(stale_roster_organisations())
    managers_by_org: dict[int, list] = {}
    for assignment in (
        RoleAssignment.objects.filter(
            organisation__in=[o.pk for o in organisations],
            role=Role.EMERGENCY_MANAGER,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    ):
        managers_by_org.setdefault(assignment.organisation_id, []).append(assignment.user)

    sent = 0
    failed = None
    connection = mailers.default  # Django 6.1: MAILERS["default"]
    for organisation in organisations:
        key = sent_key(organisation.pk, today)
        if not cache.add(key, timezone.now().isoformat(), timeout=SENT_KEY_TIMEOUT):
            continue  # already reminded this week
        messages = [
            reminder_message(organisation, manager, today)
            for manager in managers_by_org.get(organisation.pk, [])
        ]
        try:
            sent += connection.send_messages(messages) or 0
        except OSError as exc:
            cache.delete(key)  # let the retry send it
            logger.warning("Roster reminder for %s failed: %s", organisation, exc)
            failed = exc
    connection.close()
    logger.info(
        "Roster reminders: %d e-mail(s) sent for %d stale roster(s)", sent, len(organisations)
    )
    if failed is not None:
        raise failed
    return sent
