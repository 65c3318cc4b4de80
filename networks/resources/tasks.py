"""Background work for the resource overview and assistance agreements: the daily flag
of agreements that end soon or have ended (``portal/celery.py``'s beat schedule; found by
Celery's autodiscovery through ``networks.tasks``, which imports this module)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from networks.resources.models import Agreement
from networks.structure.models import Organisation
from portal.models import NotificationKind, RoleAssignment
from portal.notifications.actions import Notice, notify_many
from portal.roles import Role

logger = logging.getLogger(__name__)

#: Agreements ending within this many days (or already ended) are flagged.
AGREEMENT_WARNING_DAYS = 60


def agreement_event_key(agreement) -> str:
    """One event per agreement and end date: a prolonged agreement is flagged again."""
    return f"agreement-expiring:{agreement.uuid}:{agreement.valid_until.isoformat()}"


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def flag_expiring_agreements(today=None) -> int:
    """Notify the parties' emergency managers of every assistance agreement that ends
    within :data:`AGREEMENT_WARNING_DAYS` days or has ended (kind AGREEMENT_EXPIRING),
    exactly once per agreement and end date: ``notify_many`` writes with ``ON CONFLICT
    DO NOTHING`` on (recipient, event key), so a second run, a retry or a duplicated beat
    adds nothing. Three queries however many agreements. Returns the notifications
    offered."""
    if isinstance(today, str):
        today = date.fromisoformat(today)
    today = today or timezone.localdate()
    horizon = today + timedelta(days=AGREEMENT_WARNING_DAYS)
    agreements = list(
        Agreement.objects.filter(valid_until__isnull=False, valid_until__lte=horizon)
        .prefetch_related(Prefetch("parties", queryset=Organisation.objects.only("id")))
        .order_by("valid_until", "id")
    )
    party_ids = {p.pk for a in agreements for p in a.parties.all()}
    managers: dict[int, list] = {}
    for assignment in RoleAssignment.objects.filter(
        organisation_id__in=party_ids, role=Role.EMERGENCY_MANAGER, user__is_active=True
    ).select_related("user"):
        managers.setdefault(assignment.organisation_id, []).append(assignment.user)
    notices = []
    for agreement in agreements:
        users = [u for p in agreement.parties.all() for u in managers.get(p.pk, [])]
        if not users:
            continue
        end = agreement.valid_until
        if end < today:
            title = f"Avtalen «{agreement.title}» gikk ut {end:%d.%m.%Y}"
            body = "Avtalen er ikke lenger gyldig. Forny den eller registrer en ny avtale."
        else:
            title = f"Avtalen «{agreement.title}» går ut {end:%d.%m.%Y}"
            body = (
                f"Bistandsavtalen går ut om {(end - today).days} dager. Avklar med de andre "
                "partene om den skal fornyes, og oppdater sluttdatoen i Samvirke."
            )
        notices.append(
            Notice(
                users,
                event_key=agreement_event_key(agreement),
                kind=NotificationKind.AGREEMENT_EXPIRING,
                title=title,
                body=body,
                url=reverse("networks:agreement-detail", kwargs={"uuid": agreement.uuid}),
            )
        )
    with transaction.atomic():
        offered = notify_many(notices)
    logger.info(
        "Agreements: %d expiring or expired, %d notice(s) offered", len(agreements), offered
    )
    return offered
