"""Every write to meetings: one transaction each, attributable (a pghistory context),
checked here so the pages, the API and the demo data give the same answers.
``acting_user`` None is the demo loader (no permission check)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.meetings.models import (
    AgendaItem,
    Decision,
    FollowUp,
    FollowUpStatus,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinutesVersion,
    RefKind,
    Reply,
)
from networks.meetings.rules import does_follow_up, replies_for, runs_meeting, visible_ref
from networks.structure.models import CouncilMembership, NetworkMembership, Organisation
from portal.access import org_ids_with, viewer_for
from portal.history import VersionConflict, history_context
from portal.roles import Role

OFFICE_CONVENERS = {Role.OFFICER, Role.OFFICE_CRISIS_STAFF}
NATIONAL_CONVENERS = {Role.NATIONAL_ANALYST, Role.OFFICE_CRISIS_STAFF}
MAX_OCCURRENCES = 26


def _require(ok):
    if not ok:
        raise PermissionDenied


def default_invitees(kind, convener, network=None):
    """Who a meeting of ``kind`` invites: a kommunemøte the office's municipalities, a
    council meeting the council's current members, a network meeting the network's
    current members, a national meeting every State Administrator office."""
    if kind == MeetingKind.MUNICIPAL:
        office = getattr(convener, "office", None)
        return Organisation.objects.filter(kind="municipality", region=office)
    if kind == MeetingKind.COUNCIL:
        office = getattr(convener, "office", None)
        ids = CouncilMembership.objects.current().filter(council__office=office)
        return Organisation.objects.filter(pk__in=ids.values("organisation_id"))
    if kind == MeetingKind.NETWORK and network is not None:
        ids = NetworkMembership.objects.current().filter(network=network)
        return Organisation.objects.filter(pk__in=ids.values("organisation_id")).exclude(
            pk=convener.pk
        )
    if kind == MeetingKind.NATIONAL:
        return Organisation.objects.filter(kind="state_administrator")
    return Organisation.objects.none()


def _check_convener(kind, convener, network, acting_user):
    errors = {}
    if kind in (MeetingKind.MUNICIPAL, MeetingKind.COUNCIL):
        if convener.kind != "state_administrator":
            errors["kind"] = _("Only a State Administrator office convenes this kind of meeting.")
        elif acting_user is not None:
            _require(convener.pk in org_ids_with(acting_user, OFFICE_CONVENERS))
    elif kind == MeetingKind.NATIONAL:
        if convener.kind != "national_agency":
            errors["kind"] = _("Only a national body convenes a national meeting.")
        elif acting_user is not None:
            _require(convener.pk in org_ids_with(acting_user, NATIONAL_CONVENERS))
    elif kind == MeetingKind.NETWORK:
        if network is None:
            errors["network"] = _("Choose the network.")
        elif acting_user is not None:
            _require(network.pk in viewer_for(acting_user).coordinated_network_ids)
            _require(convener.pk in viewer_for(acting_user).org_ids)
    else:
        errors["kind"] = _("Choose the kind of meeting.")
    if errors:
        raise ValidationError(errors)


def do_convene_meeting(
    *,
    convener: Organisation,
    acting_user,
    kind: str,
    title: str,
    starts_at,
    duration_minutes: int = 60,
    video_link: str = "",
    description: str = "",
    network=None,
    organisations=None,
    occurrences: int = 1,
    interval_days: int = 7,
    agenda=(),
) -> Meeting:
    """Convene a meeting (or a series of ``occurrences``, every ``interval_days``), invite
    the organisations its kind reaches (or the ``organisations`` named among them), and
    add its agenda (``[{"title", "ref_kind", "ref_uuid"}]``). Returns the first
    occurrence."""
    with transaction.atomic(), history_context(acting_user, "meeting.convene"):
        _check_convener(kind, convener, network, acting_user)
        errors = {}
        if not title or not title.strip():
            errors["title"] = _("Give the meeting a title.")
        if not 5 <= int(duration_minutes or 0) <= 24 * 60:
            errors["duration_minutes"] = _("The duration must be between 5 minutes and 24 hours.")
        if not 1 <= int(occurrences or 0) <= MAX_OCCURRENCES:
            errors["occurrences"] = _("Between 1 and %(n)s occurrences.") % {"n": MAX_OCCURRENCES}
        if not 1 <= int(interval_days or 0) <= 31:
            errors["interval_days"] = _("The interval must be between 1 and 31 days.")
        reachable = default_invitees(kind, convener, network)
        if organisations:
            ids = {o.pk for o in organisations}
            outside = ids - set(reachable.filter(pk__in=ids).values_list("pk", flat=True))
            if outside and kind != MeetingKind.NATIONAL:
                errors["organisations"] = _(
                    "Only organisations this kind of meeting reaches can be invited."
                )
            invitees = list(Organisation.objects.filter(pk__in=ids))
        else:
            invitees = list(reachable)
        if not invitees and "organisations" not in errors:
            errors["organisations"] = _("Nobody to invite.")
        if errors:
            raise ValidationError(errors)
        series = None
        if occurrences > 1:
            series = MeetingSeries.objects.create(
                convener=convener, title=title, interval_days=interval_days
            )
        first = None
        for n in range(occurrences):
            meeting = Meeting(
                convener=convener,
                kind=kind,
                title=title.strip(),
                description=description,
                starts_at=starts_at + timedelta(days=n * interval_days),
                duration_minutes=duration_minutes,
                video_link=video_link,
                network=network if kind == MeetingKind.NETWORK else None,
                council=getattr(getattr(convener, "office", None), "council", None)
                if kind == MeetingKind.COUNCIL
                else None,
                series=series,
                created_by=acting_user,
            )
            meeting.full_clean(exclude=["created_by", "council", "network", "series"])
            meeting.save()
            Invitation.objects.bulk_create(
                [Invitation(meeting=meeting, organisation=o) for o in invitees]
            )
            for item in agenda:
                _add_agenda_item(meeting, acting_user, **item)
            first = first or meeting
        assert first is not None
        return first


def _add_agenda_item(meeting, acting_user, *, title, ref_kind="", ref_uuid=None):
    if not title or not title.strip():
        raise ValidationError({"title": _("Give the agenda item a title.")})
    if ref_kind not in RefKind.values:
        raise ValidationError({"ref_kind": _("Choose what the item links.")})
    if ref_kind and ref_uuid is None:
        raise ValidationError({"ref_uuid": _("Give the id of what the item links.")})
    if (
        ref_kind
        and acting_user is not None
        and visible_ref(acting_user, ref_kind, ref_uuid) is None
    ):
        raise ValidationError({"ref_uuid": _("Nothing with that id that you can see.")})
    position = meeting.agenda.count() + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title.strip(),
        ref_kind=ref_kind,
        ref_uuid=ref_uuid if ref_kind else None,
    )


def do_add_agenda_item(meeting: Meeting, *, acting_user, title, ref_kind="", ref_uuid=None):
    """An agenda item, optionally linking something the convener can see."""
    with transaction.atomic(), history_context(acting_user, "meeting.agenda"):
        if acting_user is not None:
            _require(runs_meeting(acting_user, meeting))
        return _add_agenda_item(
            meeting, acting_user, title=title, ref_kind=ref_kind, ref_uuid=ref_uuid
        )


def do_reply(invitation: Invitation, *, acting_user, reply: str, delegate_name: str = ""):
    """An invited organisation's reply (its people who act for it)."""
    with transaction.atomic(), history_context(acting_user, "meeting.reply"):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if acting_user is not None:
            _require(replies_for(acting_user, invitation))
        if reply not in (Reply.ATTENDING, Reply.NOT_ATTENDING, Reply.DELEGATE):
            raise ValidationError({"reply": _("Choose a reply.")})
        delegate_name = (delegate_name or "").strip()
        if reply == Reply.DELEGATE and not delegate_name:
            raise ValidationError({"delegate_name": _("Give the name of who attends.")})
        invitation.reply = reply
        invitation.delegate_name = delegate_name if reply == Reply.DELEGATE else ""
        invitation.replied_at = timezone.now()
        invitation.save()
        return invitation


def do_record_attendance(meeting: Meeting, *, acting_user, attended) -> int:
    """The convener records which invited organisations attended (the rest did not)."""
    with transaction.atomic(), history_context(acting_user, "meeting.attendance"):
        if acting_user is not None:
            _require(runs_meeting(acting_user, meeting))
        ids = {o.pk for o in attended}
        invitations = meeting.invitations.all()
        unknown = ids - set(invitations.values_list("organisation_id", flat=True))
        if unknown:
            raise ValidationError({"attended": _("Only invited organisations can attend.")})
        invitations.filter(organisation_id__in=ids).update(attended=True)
        invitations.exclude(organisation_id__in=ids).update(attended=False)
        return len(ids)


def do_save_minutes_draft(meeting: Meeting, *, acting_user, text: str, version: int) -> Meeting:
    """Save the minutes' draft (autosave while the meeting runs). ``version`` is the
    draft version the writer started from: a newer one stored → VersionConflict."""
    with transaction.atomic(), history_context(acting_user, "meeting.minutes_draft"):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if acting_user is not None:
            _require(runs_meeting(acting_user, meeting))
        if version != meeting.minutes_draft_version:
            raise VersionConflict(
                _("Someone else saved the minutes since you opened them."),
                current_version=meeting.minutes_draft_version,
                current=meeting,
            )
        meeting.minutes_draft = text or ""
        meeting.minutes_draft_version += 1
        meeting.save(update_fields=["minutes_draft", "minutes_draft_version", "updated_at"])
        return meeting


def do_add_decision(meeting: Meeting, *, acting_user, text: str) -> Decision:
    with transaction.atomic(), history_context(acting_user, "meeting.decision"):
        if acting_user is not None:
            _require(runs_meeting(acting_user, meeting))
        if not text or not text.strip():
            raise ValidationError({"text": _("Write the decision.")})
        return Decision.objects.create(meeting=meeting, text=text.strip())


def do_add_follow_up(meeting: Meeting, *, acting_user, title: str, assignee, due_on) -> FollowUp:
    """A follow-up task for the convener or an invited organisation, with a due date."""
    with transaction.atomic(), history_context(acting_user, "meeting.follow_up"):
        if acting_user is not None:
            _require(runs_meeting(acting_user, meeting))
        errors = {}
        if not title or not title.strip():
            errors["title"] = _("Describe the task.")
        if assignee is None or (
            assignee.pk != meeting.convener_id
            and not meeting.invitations.filter(organisation=assignee).exists()
        ):
            errors["assignee"] = _("Assign the task to an organisation in the meeting.")
        if due_on is None:
            errors["due_on"] = _("Give the due date.")
        if errors:
            raise ValidationError(errors)
        return FollowUp.objects.create(
            meeting=meeting, title=title.strip(), assignee=assignee, due_on=due_on
        )


def do_publish_minutes(meeting: Meeting, *, acting_user) -> MinutesVersion:
    """Publish the draft to the participants as a new, unchangeable version; the
    decisions and follow-ups made so far go out with it."""
    with transaction.atomic(), history_context(acting_user, "meeting.publish_minutes"):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if acting_user is not None:
            _require(runs_meeting(acting_user, meeting))
        if not meeting.minutes_draft.strip():
            raise ValidationError({"text": _("Write the minutes before publishing them.")})
        last = meeting.minutes.order_by("-number").first()
        if last is not None and last.text == meeting.minutes_draft:
            raise ValidationError({"text": _("These minutes are already published.")})
        version = MinutesVersion.objects.create(
            meeting=meeting,
            number=(last.number + 1) if last else 1,
            text=meeting.minutes_draft,
            published_by=acting_user,
        )
        meeting.decisions.filter(published=False).update(published=True)
        meeting.follow_ups.filter(published=False).update(published=True)
        return version


def do_complete_follow_up(follow_up: FollowUp, *, acting_user) -> FollowUp:
    """The assignee organisation's writers mark a published follow-up done."""
    with transaction.atomic(), history_context(acting_user, "meeting.follow_up_done"):
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if acting_user is not None:
            _require(does_follow_up(acting_user, follow_up))
        if not follow_up.published:
            raise ValidationError(_("The task is not published yet."))
        if follow_up.status == FollowUpStatus.DONE:
            raise ValidationError(_("The task is already done."))
        follow_up.status = FollowUpStatus.DONE
        follow_up.done_at = timezone.now()
        follow_up.done_by = acting_user
        follow_up.save()
        return follow_up
