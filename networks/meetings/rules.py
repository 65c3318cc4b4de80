"""Who may do what with meetings: the ``rules`` permissions pages, API and templates
check. The convener organisation's conveners run a meeting (agenda, attendance, minutes,
decisions, follow-ups); an invited organisation's people reply; an assignee
organisation's writers mark a follow-up done."""

from __future__ import annotations

import rules

from portal.access import org_ids_with, viewer_for
from portal.roles import (
    FOLLOW_UP_WRITER_ROLES,
    MEETING_CONVENER_ROLES,
    MEETING_REPLY_ROLES,
    Role,
)


def convener_org_ids(user) -> frozenset[int]:
    """Organisations whose meetings ``user`` convenes and runs."""
    return org_ids_with(user, MEETING_CONVENER_ROLES - {Role.NETWORK_COORDINATOR}) | (
        org_ids_with(user, {Role.NETWORK_COORDINATOR})
    )


def coordinated_network_ids(user) -> frozenset[int]:
    return viewer_for(user).coordinated_network_ids


@rules.predicate
def runs_meeting(user, meeting):
    if meeting is None:
        return False
    if meeting.network_id is not None and meeting.kind == "network":
        return meeting.network_id in coordinated_network_ids(user)
    return meeting.convener_id in org_ids_with(
        user, MEETING_CONVENER_ROLES - {Role.NETWORK_COORDINATOR}
    )


@rules.predicate
def replies_for(user, invitation):
    return invitation is not None and invitation.organisation_id in org_ids_with(
        user, MEETING_REPLY_ROLES
    )


@rules.predicate
def may_reply(user, meeting):
    return meeting is not None and any(
        i.organisation_id in org_ids_with(user, MEETING_REPLY_ROLES)
        for i in meeting.invitations.all()
    )


@rules.predicate
def does_follow_up(user, follow_up):
    return follow_up is not None and follow_up.assignee_id in org_ids_with(
        user, FOLLOW_UP_WRITER_ROLES
    )


@rules.predicate
def convenes_any(user):
    return bool(convener_org_ids(user))


rules.add_perm("networks.add_meeting", convenes_any)
rules.add_perm("networks.change_meeting", runs_meeting)
rules.add_perm("networks.reply_meeting", may_reply)
rules.add_perm("networks.change_followup", does_follow_up)


# --- what an agenda item links (typed references) ---------------------------------------


def _ref_models():
    """The model each reference kind names. By the app registry: reporting sits beside
    meetings in the top layer and neither imports the other (.importlinter); the link is
    data (a uuid and a URL name), not code."""
    from django.apps import apps

    return {
        "dashboard": apps.get_model("reporting", "ReportingRound"),
        "picture": apps.get_model("reporting", "Compilation"),
        "aid_request": apps.get_model("networks", "AssistanceRequest"),
        "incident": apps.get_model("incidents", "Incident"),
        "document": apps.get_model("networks", "Document"),
    }


#: The page each reference kind opens (the dashboard in its meeting mode).
REF_URLS = {
    "dashboard": ("reporting:dashboard", "?meeting=1"),
    "picture": ("reporting:picture", ""),
    "aid_request": ("networks:aid-request-detail", ""),
    "incident": ("incidents:incident-detail", ""),
    "document": ("networks:document-detail", ""),
}


def visible_ref(user, kind, ref_uuid):
    """The linked object when ``user`` may see it, else None."""
    if not kind or ref_uuid is None:
        return None
    model = _ref_models().get(kind)
    if model is None:
        return None
    return _visible(user, kind, model).filter(uuid=ref_uuid).first()


def _visible(user, kind, model):
    """What ``user`` may open of ``kind``. A round's dashboard is the issuer's and the
    officers' of the regions in the round (reporting.dashboards answers the rest of those
    who see the round with 403): the same rule, as data, so no one is linked to a 403."""
    from django.db.models import Q

    queryset = model.objects.visible_to(user)
    if kind == "dashboard":
        viewer = viewer_for(user)
        queryset = queryset.filter(
            Q(issuer_id__in=viewer.org_ids)
            | Q(submissions__municipality__region_id__in=viewer.officer_office_ids)
        ).distinct()
    return queryset


def mark_links(user, items):
    """Each agenda item gets ``link`` (url, label) when the viewer may see its target:
    one query per kind in use, however many items."""
    from django.urls import reverse

    items = list(items)
    wanted: dict[str, set] = {}
    for item in items:
        item.link = None
        if item.ref_kind and item.ref_uuid:
            wanted.setdefault(item.ref_kind, set()).add(item.ref_uuid)
    models = _ref_models() if wanted else {}
    found = {}
    for kind, uuids in wanted.items():
        for obj in _visible(user, kind, models[kind]).filter(uuid__in=uuids):
            found[(kind, obj.uuid)] = obj
    for item in items:
        obj = found.get((item.ref_kind, item.ref_uuid))
        if obj is not None:
            name, suffix = REF_URLS[item.ref_kind]
            item.link = reverse(name, args=[obj.uuid]) + suffix
    return items
