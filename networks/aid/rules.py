"""Who may do what in mutual aid and joint procurement: the predicates the actions,
pages, API and templates share. A municipality's emergency managers and crisis staff
act for it (``AID_WRITER_ROLES``); a State Administrator office's officers too when
offering (``AID_OFFER_ROLES``) and, for their region's requests, when sending a request
on ("go in line")."""

from __future__ import annotations

from networks.aid.models import AssistanceRequest, JointProcurement, RequestStatus
from networks.structure.models import NetworkMembership
from portal.access import org_ids_with, viewer_for
from portal.roles import AID_OFFER_ROLES, AID_WRITER_ROLES


def writer_org_ids(user) -> set[int]:
    """Organisations the user writes for (emergency managers, crisis staff)."""
    return set(org_ids_with(user, AID_WRITER_ROLES))


def acting_org_ids(user) -> set[int]:
    """Organisations the user may offer assistance for (writers and officers)."""
    return set(org_ids_with(user, AID_OFFER_ROLES))


def may_manage_request(user, request: AssistanceRequest) -> bool:
    """Accept/decline offers, close or cancel: the requester's writers."""
    return request.requester_id in writer_org_ids(user)


def may_redirect_request(user, request: AssistanceRequest) -> bool:
    """Send a request on to more organisations: the officers of the requester's region."""
    return bool(
        request.requester.region_id
        and request.requester.region_id in viewer_for(user).officer_office_ids
    )


def may_offer(user, request: AssistanceRequest) -> bool:
    return request.status == RequestStatus.OPEN and bool(
        acting_org_ids(user) - {request.requester_id}
    )


def may_manage_procurement(user, procurement: JointProcurement) -> bool:
    return procurement.lead_id in writer_org_ids(user)


def participant_org_ids(procurement: JointProcurement) -> set[int]:
    """The lead, the invited organisations and the network's current members."""
    ids = {procurement.lead_id, *procurement.organisations.values_list("pk", flat=True)}
    if procurement.network_id:
        ids |= set(
            NetworkMembership.objects.current()
            .filter(network_id=procurement.network_id)
            .values_list("organisation_id", flat=True)
        )
    return ids


def participating_org_ids(user, procurement: JointProcurement) -> set[int]:
    """Organisations the user may enter quantities for in this procurement."""
    mine = writer_org_ids(user)
    return mine & participant_org_ids(procurement) if mine else set()
