"""Incident pages: the list grouped by crisis frame, create/edit, the incident page with
its shares and history, the crisis log (quick entry, corrections, live updates, filters,
full-text search), attachments and tasks.

Every object comes from a scoped queryset (``visible_to``): an outsider gets 404. A user
who sees an incident but may not write it (a reader, an officer seeing what was shared)
gets 403 on every write. Every write goes through ``incidents.actions``.
"""

import copy
from datetime import timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from pghistory.models import Events

from incidents import actions
from incidents.filtersets import IncidentFilterSet, LogEntryFilterSet
from incidents.forms import (
    CrisisFrameForm,
    IncidentForm,
    IncidentStatusForm,
    LogEntryForm,
    ShareForm,
    TaskForm,
    TaskStatusForm,
    writer_org_ids,
)
from incidents.models import (
    Attachment,
    Correction,
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    LogEntry,
    Share,
    Task,
    TaskStatus,
)
from networks.models import Municipality
from portal.access import viewer_for
from portal.outbox import UNAVAILABLE, cache_get
from portal.roles import Role
from portal.search import is_uuid, norwegian_query
from portal.web import (
    ScopedMixin,
    add_action_errors,
    htmx_partial,
    redirect_htmx,
    render_page,
    safe_next,
)

#: Entries per page of the log ("Vis eldre" loads the next).
LOG_PAGE_SIZE = 100
#: Polling asks for entries recorded since the last poll minus this margin: an entry is
#: stamped with its transaction's start time, so one that commits late could otherwise
#: be missed. Entries the page already shows are dropped by log.js.
POLL_OVERLAP = timedelta(seconds=10)
#: What the updates endpoint answers with, so log.js can tell it from a login page.
LOG_HEADER = "X-Samvirke-Log"
LIVE_HEADER = "X-Samvirke-Live"

STATUS_COLOURS = {
    IncidentStatus.ACTIVE: "danger",
    IncidentStatus.MONITORING: "warning",
    IncidentStatus.CLOSED: "neutral",
}
SEVERITY_COLOURS = {"low": "info", "moderate": "warning", "high": "danger", "critical": "danger"}


# --- helpers ---------------------------------------------------------------------------


def incidents_for(user):
    return Incident.objects.visible_to(user).select_related("frame", "owner", "owner__region")


def get_incident(request, uuid):
    return get_object_or_404(incidents_for(request.user), uuid=uuid)


def may_write(user, incident):
    return user.has_perm("incidents.write_log", incident)


def require_write(user, incident):
    if not may_write(user, incident):
        raise PermissionDenied


def entries_for(user, incident):
    return LogEntry.objects.visible_in(user, incident)


def with_entry_details(queryset, user):
    """Everything an entry shows, in a fixed number of queries however many entries."""
    return queryset.select_related("author", "organisation", "corrects").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.visible_to(user).order_by("name")),
        Prefetch(
            "corrections",
            queryset=LogEntry.objects.visible_to(user)
            .order_by("recorded_at", "id")
            .only("id", "uuid", "incident_id", "corrects_id", "correction_type", "recorded_at"),
        ),
        Prefetch(
            "links",
            queryset=LogEntry.objects.visible_to(user).only(
                "id", "uuid", "incident_id", "kind", "occurred_at"
            ),
        ),
    )


def decorate(entries):
    """Mark entries that a later entry corrected or retracted (the latest one wins)."""
    entries = list(entries)
    for entry in entries:
        corrections = list(entry.corrections.all())
        entry.correction = corrections[-1] if corrections else None
        entry.retracted = any(c.correction_type == Correction.RETRACTION for c in corrections)
    return entries


def log_version(incident):
    """When the incident's log last changed, from the cache; None when Redis is down:
    the poll then reads the database every time (live updates slower, never lost)."""
    version = cache_get(actions.log_version_key(incident.pk))
    return None if version is UNAVAILABLE else (version or "0")


def filter_query(request, drop=("before", "since", "v", "page")):
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query


def poller_url(incident, query, since, version):
    params = query.copy()
    params["since"] = since.isoformat()
    params["v"] = version or ""  # none while the cache is down: the next poll looks
    return (
        reverse("incidents:log-updates", kwargs={"uuid": incident.uuid}) + "?" + params.urlencode()
    )


# --- incidents -------------------------------------------------------------------------


class IncidentListView(ScopedMixin, View):
    """Incidents the user may see, grouped by crisis frame and, inside a frame, by
    owner; incidents outside any frame come last."""

    model = Incident
    paginate_by = 100

    def get(self, request):
        queryset = self.get_queryset().select_related("frame", "owner")
        filterset = IncidentFilterSet(request.GET, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        rows = rows.order_by(
            F("frame__started_at").desc(nulls_last=True),
            "frame_id",
            "owner__name",
            "-started_at",
        )
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        viewer = viewer_for(request.user)
        groups = []
        for frame, in_frame in groupby(page.object_list, key=lambda i: i.frame):
            owners = [
                {"owner": owner, "incidents": list(items)}
                for owner, items in groupby(in_frame, key=lambda i: i.owner)
            ]
            groups.append({"frame": frame, "owners": owners})
        query = request.GET.copy()
        query.pop("page", None)
        return render_page(
            request,
            "incidents/incident_list.html",
            {
                "filter": filterset,
                "page": page,
                "groups": groups,
                "query": query.urlencode(),
                "own_org_ids": viewer.org_ids,
                "can_create": bool(writer_org_ids(request.user)),
                "nav_section": "incidents",
            },
            partial="results",
        )


class IncidentCreateView(ScopedMixin, View):
    """Emergency managers and crisis staff create incidents for their organisation."""

    model = Incident

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "incidents/incident_form.html",
            {"form": form, "incident": None, "nav_section": "incidents"},
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request):
        initial = {}
        frame_uuid = request.GET.get("frame")
        if frame_uuid and is_uuid(frame_uuid):
            # "Opprett øvingshendelse i denne rammen": the frame page links here.
            frame = CrisisFrame.objects.visible_to(request.user).filter(uuid=frame_uuid).first()
            if frame is not None:
                initial = {"frame": frame.pk, "type": frame.type}
                if frame.is_exercise:
                    initial["is_exercise"] = True
        return self.render_form(IncidentForm(user=request.user, initial=initial))

    def post(self, request):
        form = IncidentForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                incident = actions.do_create_incident(
                    owner=form.cleaned_data["owner"],
                    acting_user=request.user,
                    affected=form.cleaned_data["affected"],
                    **form.changes(),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, _("The incident %(title)s was created.") % {"title": incident.title}
                )
                return redirect_htmx(request, reverse("incidents:log", args=[incident.uuid]))
        return self.render_form(form, status=400)


class IncidentEditView(ScopedMixin, View):
    model = Incident

    def dispatch(self, request, uuid):
        self.incident = get_incident(request, uuid)
        if not request.user.has_perm("incidents.change_incident", self.incident):
            raise PermissionDenied
        return super().dispatch(request, uuid)

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "incidents/incident_form.html",
            {"form": form, "incident": self.incident, "nav_section": "incidents"},
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request, uuid):
        return self.render_form(IncidentForm(instance=self.incident, user=request.user))

    def post(self, request, uuid):
        form = IncidentForm(request.POST, instance=copy.copy(self.incident), user=request.user)
        if form.is_valid():
            try:
                actions.do_update_incident(
                    self.incident,
                    acting_user=request.user,
                    affected=form.cleaned_data["affected"],
                    **form.changes(),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The incident was saved."))
                return redirect_htmx(
                    request, reverse("incidents:incident-detail", args=[self.incident.uuid])
                )
        return self.render_form(form, status=400)


class IncidentStatusView(ScopedMixin, View):
    """Active → monitoring → closed, and reopening (POST only)."""

    model = Incident

    def post(self, request, uuid):
        incident = get_incident(request, uuid)
        if not request.user.has_perm("incidents.change_incident", incident):
            raise PermissionDenied
        form = IncidentStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
        else:
            try:
                incident = actions.do_update_incident(
                    incident, acting_user=request.user, status=form.cleaned_data["status"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("The incident is now %(status)s.")
                    % {"status": incident.get_status_display().lower()},
                )
        return redirect(safe_next(request, reverse("incidents:incident-detail", args=[uuid])))


def status_actions(incident):
    """The status buttons an incident offers: (target status, button label)."""
    labels = {
        IncidentStatus.ACTIVE: _("Reopen")
        if incident.status == IncidentStatus.CLOSED
        else _("Set active again"),
        IncidentStatus.MONITORING: _("Move to monitoring"),
        IncidentStatus.CLOSED: _("Close the incident"),
    }
    order = [IncidentStatus.ACTIVE, IncidentStatus.MONITORING, IncidentStatus.CLOSED]
    allowed = actions.ALLOWED_TRANSITIONS[IncidentStatus(incident.status)]
    return [(status.value, labels[status]) for status in order if status in allowed]


#: Fields of an incident's history that are shown (in this order), with how to show them.
HISTORY_FIELDS = [
    "title",
    "status",
    "severity",
    "type",
    "frame_id",
    "started_at",
    "ended_at",
    "crisis_management_active",
    "is_exercise",
    "description",
]


def incident_history(incident, user):
    """The incident's history from pghistory: who, when, and each changed field as
    before → after, in words."""
    events = list(Events.objects.tracks(incident).order_by("-pgh_id")[:100])
    user_ids = {
        (e.pgh_context or {}).get("user")
        for e in events
        if isinstance((e.pgh_context or {}).get("user"), int)
    }
    # Attribution of changes to an incident the user may see (as the log shows authors).
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
    frame_ids = set()
    for event in events:
        for field in ("frame_id",):
            for value in (event.pgh_diff or {}).get(field, []) or []:
                if value:
                    frame_ids.add(value)
    frames = {f.pk: f.title for f in CrisisFrame.objects.visible_to(user).filter(pk__in=frame_ids)}
    rows = []
    for event in events:
        context = event.pgh_context or {}
        changes = []
        if event.pgh_label != "insert":
            diff = event.pgh_diff or {}
            for name in HISTORY_FIELDS:
                if name in diff:
                    before, after = diff[name]
                    changes.append(
                        {
                            "label": field_label(name),
                            "before": history_value(name, before, frames),
                            "after": history_value(name, after, frames),
                        }
                    )
            if not changes:
                continue  # only the timestamps moved
        rows.append(
            {
                "at": event.pgh_created_at,
                "created": event.pgh_label == "insert",
                "user": people.get(context.get("user")),
                "changes": changes,
            }
        )
    return rows


def field_label(name):
    field = Incident._meta.get_field(name.removesuffix("_id"))
    return str(field.verbose_name).capitalize()


def history_value(name, value, frames):
    if value is None or value == "":
        return "—"
    if name == "frame_id":
        return frames.get(value, "—")
    field = Incident._meta.get_field(name.removesuffix("_id"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in ("started_at", "ended_at"):
        moment = parse_datetime(value)
        return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else value
    if name == "description" and len(value) > 120:
        return value[:117] + "…"
    return value


class IncidentDetailView(ScopedMixin, View):
    model = Incident

    def get(self, request, uuid, share_form=None):
        incident = get_incident(request, uuid)
        user = request.user
        can_write = may_write(user, incident)
        entries = entries_for(user, incident)
        shares = (
            Share.objects.visible_to(user)
            .filter(Q(incident=incident) | Q(entry__incident=incident))
            .select_related("organisation", "network", "entry", "created_by")
            .order_by("created_at")
        )
        tasks = (
            Task.objects.visible_to(user)
            .filter(incident=incident)
            .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
            .select_related("assignee_user", "assignee_organisation")
            .order_by(F("due_at").asc(nulls_last=True), "created_at")
        )
        viewer = viewer_for(user)
        response = render_page(
            request,
            "incidents/incident_detail.html",
            {
                "incident": incident,
                "can_write": can_write,
                # Who an incident is shared with is known to its owner and the region's
                # office (ShareQuerySet); a recipient only learns that it was shared.
                "sees_shares": incident.owner_id in viewer.org_ids
                or incident.owner.region_id in viewer.officer_office_ids,
                "status_actions": status_actions(incident) if can_write else [],
                "affected": Municipality.objects.visible_to(user)
                .filter(incidents=incident)
                .order_by("label"),
                "shares": shares,
                "share_form": share_form
                or (ShareForm(incident=incident, user=user) if can_write else None),
                "history": incident_history(incident, user),
                "tasks": tasks,
                "entry_count": entries.count(),
                "status_colours": STATUS_COLOURS,
                "severity_colours": SEVERITY_COLOURS,
                "nav_section": "incidents",
            },
        )
        if share_form is not None:
            response.status_code = 400
        return response


class IncidentShareView(ScopedMixin, View):
    """Share the incident (its whole log), or one entry (``entry``), with an
    organisation or a network."""

    model = Incident

    def post(self, request, uuid):
        incident = get_incident(request, uuid)
        if not request.user.has_perm("incidents.share_incident", incident):
            raise PermissionDenied
        entry = None
        if request.POST.get("entry"):
            if not is_uuid(request.POST["entry"]):
                raise Http404
            entry = get_object_or_404(
                entries_for(request.user, incident), uuid=request.POST["entry"]
            )
        form = ShareForm(request.POST, incident=incident, user=request.user)
        if form.is_valid():
            try:
                share = actions.do_share(
                    acting_user=request.user,
                    incident=None if entry else incident,
                    entry=entry,
                    organisation=form.cleaned_data.get("organisation"),
                    network=form.cleaned_data.get("network"),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                audience = share.organisation or share.network
                if entry is not None:
                    messages.success(
                        request,
                        _("The entry is shared with %(audience)s.") % {"audience": audience},
                    )
                    return redirect(
                        reverse("incidents:entry-detail", args=[uuid, entry.uuid]) + "#shares"
                    )
                messages.success(
                    request,
                    _("The incident is shared with %(audience)s.") % {"audience": audience},
                )
                return redirect(reverse("incidents:incident-detail", args=[uuid]) + "#shares")
        if entry is not None:
            view = EntryDetailView()
            view.request = request
            return view.get(request, uuid, entry.uuid, share_form=form)
        view = IncidentDetailView()
        view.request = request
        return view.get(request, uuid, share_form=form)


# --- crisis frames ---------------------------------------------------------------------


def frames_for(user):
    return CrisisFrame.objects.visible_to(user).select_related("owner")


class FrameListView(ScopedMixin, View):
    """National crisis frames and exercise frames, each with how many of its incidents
    the user may see (two queries however many frames and incidents)."""

    model = CrisisFrame

    def get(self, request):
        frames = list(self.get_queryset().select_related("owner").order_by("-started_at", "id"))
        counts = dict(
            Incident.objects.visible_to(request.user)
            .filter(frame__isnull=False)
            .order_by()
            .values("frame_id")
            .annotate(n=Count("id"))
            .values_list("frame_id", "n")
        )
        for frame in frames:
            frame.visible_incidents = counts.get(frame.pk, 0)
        return render_page(
            request,
            "incidents/frame_list.html",
            {
                "frames": frames,
                "can_create": request.user.has_perm("incidents.create_frame"),
                "nav_section": "incidents",
            },
        )


class FrameDetailView(ScopedMixin, View):
    """A frame's facts and the incidents under it that the user may see, grouped by
    State Administrator region and then organisation: for an office, what its region's
    municipalities shared with it under the frame."""

    model = CrisisFrame

    def get(self, request, uuid):
        frame = get_object_or_404(frames_for(request.user), uuid=uuid)
        incidents = (
            incidents_for(request.user)
            .filter(frame=frame)
            .order_by(
                F("owner__region__name_bokmaal").asc(nulls_last=True),
                "owner__name",
                "-started_at",
                "id",
            )
        )
        regions = []
        for region, in_region in groupby(incidents, key=lambda i: i.owner.region):
            owners = [
                {"owner": owner, "incidents": list(items)}
                for owner, items in groupby(in_region, key=lambda i: i.owner)
            ]
            regions.append(
                {
                    "region": region,
                    "owners": owners,
                    "count": sum(len(o["incidents"]) for o in owners),
                }
            )
        viewer = viewer_for(request.user)
        return render_page(
            request,
            "incidents/frame_detail.html",
            {
                "frame": frame,
                "regions": regions,
                "incident_count": sum(r["count"] for r in regions),
                "own_org_ids": viewer.org_ids,
                "can_change": request.user.has_perm("incidents.change_frame", frame),
                "can_open_incident": bool(writer_org_ids(request.user)),
                "status_colours": STATUS_COLOURS,
                "severity_colours": SEVERITY_COLOURS,
                "nav_section": "incidents",
            },
        )


class FrameFormMixin:
    model = CrisisFrame
    frame = None

    def render_form(self, form, status=200):
        response = render_page(
            self.request,
            "incidents/frame_form.html",
            {"form": form, "frame": self.frame, "nav_section": "incidents"},
            partial="form",
        )
        response.status_code = status
        return response


class FrameCreateView(FrameFormMixin, ScopedMixin, View):
    """National analysts create national frames and exercises for their organisation;
    State Administrator officers create exercise frames for their office."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("incidents.create_frame"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_form(CrisisFrameForm(user=request.user))

    def post(self, request):
        form = CrisisFrameForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                frame = actions.do_create_frame(
                    owner=form.cleaned_data["owner"], acting_user=request.user, **form.changes()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, _("The crisis frame %(title)s was created.") % {"title": frame.title}
                )
                return redirect_htmx(request, reverse("incidents:frame-detail", args=[frame.uuid]))
        return self.render_form(form, status=400)


class FrameEditView(FrameFormMixin, ScopedMixin, View):
    """The owner organisation's analysts or officers change a frame (e.g. end it)."""

    def dispatch(self, request, uuid):
        if request.user.is_authenticated:
            self.frame = get_object_or_404(frames_for(request.user), uuid=uuid)
            if not request.user.has_perm("incidents.change_frame", self.frame):
                raise PermissionDenied
        return super().dispatch(request, uuid)

    def get(self, request, uuid):
        return self.render_form(CrisisFrameForm(instance=self.frame, user=request.user))

    def post(self, request, uuid):
        form = CrisisFrameForm(request.POST, instance=copy.copy(self.frame), user=request.user)
        if form.is_valid():
            try:
                actions.do_update_frame(self.frame, acting_user=request.user, **form.changes())
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The crisis frame was saved."))
                return redirect_htmx(
                    request, reverse("incidents:frame-detail", args=[self.frame.uuid])
                )
        return self.render_form(form, status=400)


# --- the log ---------------------------------------------------------------------------


def log_page_entries(request, incident, filterset):
    """One page of the (filtered) log, newest event first; ``before`` (an entry's uuid)
    continues after that entry. Returns (entries, the next page's ``before`` or None)."""
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    rows = rows.order_by("-occurred_at", "-id")
    before = request.GET.get("before")
    if before:
        anchor = (
            filterset.queryset.filter(uuid=before).values("occurred_at", "id").first()
            if is_uuid(before)
            else None
        )
        if anchor is None:
            raise Http404
        rows = rows.filter(
            Q(occurred_at__lt=anchor["occurred_at"])
            | Q(occurred_at=anchor["occurred_at"], id__lt=anchor["id"])
        )
    page = decorate(with_entry_details(rows, request.user)[: LOG_PAGE_SIZE + 1])
    more = page[LOG_PAGE_SIZE - 1].uuid if len(page) > LOG_PAGE_SIZE else None
    return page[:LOG_PAGE_SIZE], more


def log_context(request, incident, filterset, *, form=None, entries=None, more=None):
    can_write = may_write(request.user, incident)
    query = filter_query(request)
    more_query = query.copy()
    if more:
        more_query["before"] = str(more)
    return {
        "incident": incident,
        "can_write": can_write,
        "filter": filterset,
        "entries": entries,
        "more_url": (request.path + "?" + more_query.urlencode()) if more else None,
        "poller_url": poller_url(incident, query, timezone.now(), log_version(incident)),
        "form": form if form is not None else (LogEntryForm(entries=None) if can_write else None),
        "kinds": EntryKind.choices,
        "kind_colours": KIND_COLOURS,
        "status_colours": STATUS_COLOURS,
        "nav_section": "incidents",
    }


KIND_COLOURS = {
    EntryKind.DECISION: "danger",
    EntryKind.ACTION: "warning",
    EntryKind.MESSAGE_IN: "info",
    EntryKind.MESSAGE_OUT: "accent",
    EntryKind.ASSESSMENT: "success",
    EntryKind.INFORMATION: "neutral",
}


class LogView(ScopedMixin, View):
    """The crisis log: quick entry at hand, entries newest first, filters, live updates."""

    model = LogEntry

    def get(self, request, uuid):
        incident = get_incident(request, uuid)
        filterset = LogEntryFilterSet(
            request.GET, queryset=entries_for(request.user, incident), request=request
        )
        entries, more = log_page_entries(request, incident, filterset)
        context = log_context(request, incident, filterset, entries=entries, more=more)
        if request.GET.get("before") and htmx_partial(request):
            # "Vis eldre": the next entries and the next button, appended to the list.
            return render(request, "incidents/log.html#older", context)
        return render_page(request, "incidents/log.html", context, partial="entries_region")


@method_decorator(never_cache, name="dispatch")
class LogUpdatesView(ScopedMixin, View):
    """What changed in the log since the client last looked, for polling every few
    seconds. Cheap when nothing changed: one scoped query (may the user see the incident)
    and a cache read, then 204 without a body."""

    model = LogEntry

    def get(self, request, uuid):
        incident = get_object_or_404(
            Incident.objects.visible_to(request.user).only("id", "uuid"), uuid=uuid
        )
        version = log_version(incident)
        if version is not None and request.GET.get("v") == version:
            response = HttpResponse(status=204)
            response[LOG_HEADER] = "unchanged"
            return response
        try:
            since = parse_datetime(request.GET.get("since") or "") or timezone.now()
        except ValueError:  # well-formed but impossible, e.g. month 13
            since = timezone.now()
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        window = since - POLL_OVERLAP
        filterset = LogEntryFilterSet(
            request.GET, queryset=entries_for(request.user, incident), request=request
        )
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        new = decorate(
            with_entry_details(rows.filter(recorded_at__gt=window), request.user).order_by(
                "-occurred_at", "-id"
            )
        )
        new_ids = {e.pk for e in new}
        refreshed = decorate(
            with_entry_details(
                rows.filter(
                    Exists(LogEntry.objects.filter(corrects=OuterRef("pk"), recorded_at__gt=window))
                ).exclude(pk__in=new_ids),
                request.user,
            )
        )
        newest = max([since] + [e.recorded_at for e in new])
        response = render(
            request,
            "incidents/log.html#updates",
            {
                "incident": incident,
                "new_entries": new,
                "refreshed": refreshed,
                "can_write": may_write(request.user, incident) if (new or refreshed) else False,
                "kind_colours": KIND_COLOURS,
                "poller_url": poller_url(incident, filter_query(request), newest, version),
                # what colleagues wrote: the user's own entries are not news to them
                "fresh_count": len(
                    [e for e in new if e.recorded_at > since and e.author_id != request.user.pk]
                ),
            },
        )
        response[LOG_HEADER] = "changed"
        if version is None:  # say so: every poll reads the database until Redis is back
            response[LIVE_HEADER] = "degraded"
        return response


class EntryCreateView(ScopedMixin, View):
    """Posts the quick entry and the correction / retraction form."""

    model = LogEntry

    def post(self, request, uuid):
        incident = get_incident(request, uuid)
        require_write(request.user, incident)
        entries = entries_for(request.user, incident)
        correcting = bool(request.POST.get("corrects"))
        form = LogEntryForm(
            request.POST,
            request.FILES,
            entries=entries,
            auto_id=correction_auto_id(request.POST.get("corrects")) if correcting else "id_%s",
        )
        if form.is_valid():
            try:
                entry, _created = actions.do_write_entry(
                    incident, acting_user=request.user, **form.action_kwargs()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return self.success(request, incident, entry, form, correcting)
        return self.failure(request, incident, form, correcting)

    def success(self, request, incident, entry, form, correcting):
        if not htmx_partial(request):
            messages.success(request, _("The entry was saved."))
            return redirect(reverse("incidents:log", args=[incident.uuid]) + f"#entry-{entry.uuid}")
        entries = entries_for(request.user, incident)
        new = decorate(with_entry_details(entries.filter(pk=entry.pk), request.user))
        refreshed = (
            decorate(with_entry_details(entries.filter(pk=entry.corrects_id), request.user))
            if entry.corrects_id
            else []
        )
        blank = None
        if not correcting:
            blank = LogEntryForm(entries=None, initial={"kind": form.cleaned_data["kind"]})
        return render(
            request,
            "incidents/log.html#created",
            {
                "incident": incident,
                "form": blank,
                "new_entries": new,
                "refreshed": refreshed,
                "can_write": True,
                "kind_colours": KIND_COLOURS,
                "kinds": EntryKind.choices,
                "autofocus": True,
                "saved_message": _("Correction saved.") if correcting else _("Entry saved."),
            },
        )

    def failure(self, request, incident, form, correcting):
        if correcting:
            corrected = form.cleaned_data.get("corrects") if hasattr(form, "cleaned_data") else None
            context = {
                "incident": incident,
                "form": form,
                "entry": corrected,
                "correction_type": request.POST.get("correction_type") or Correction.CORRECTION,
                "nav_section": "incidents",
            }
            response = render_page(request, "incidents/entry_correct.html", context, partial="form")
        elif htmx_partial(request):
            response = render(
                request,
                "incidents/log.html#quick_form",
                {"incident": incident, "form": form, "kinds": EntryKind.choices, "autofocus": True},
            )
        else:
            filterset = LogEntryFilterSet({}, queryset=entries_for(request.user, incident))
            entries, more = log_page_entries(request, incident, filterset)
            response = render(
                request,
                "incidents/log.html",
                log_context(request, incident, filterset, form=form, entries=entries, more=more),
            )
        response.status_code = 400
        return response


def correction_auto_id(entry_uuid):
    """Field ids of a correction form: unique beside the quick entry and other open
    correction forms on the same page."""
    return f"fix-{str(entry_uuid)[:8]}-%s"


class EntryCorrectView(ScopedMixin, View):
    """The prefilled form that corrects or retracts an entry (inline on the log page
    by HTMX, or as a page of its own)."""

    model = LogEntry

    def get(self, request, uuid, entry_uuid):
        incident = get_incident(request, uuid)
        require_write(request.user, incident)
        entry = get_object_or_404(
            entries_for(request.user, incident).select_related("author"), uuid=entry_uuid
        )
        correction_type = request.GET.get("type")
        if correction_type not in Correction.values:
            correction_type = Correction.CORRECTION
        form = LogEntryForm.for_correction(
            entry, correction_type, entries=None, auto_id=correction_auto_id(entry.uuid)
        )
        return render_page(
            request,
            "incidents/entry_correct.html",
            {
                "incident": incident,
                "entry": entry,
                "form": form,
                "correction_type": correction_type,
                "autofocus": True,
                "nav_section": "incidents",
            },
            partial="form",
        )


class EntryDetailView(ScopedMixin, View):
    """One entry on a page of its own (a permanent link), with what it corrects and what
    corrected it."""

    model = LogEntry

    def get(self, request, uuid, entry_uuid, share_form=None):
        incident = get_incident(request, uuid)
        entries = entries_for(request.user, incident)
        entry = get_object_or_404(with_entry_details(entries, request.user), uuid=entry_uuid)
        (entry,) = decorate([entry])
        chain = decorate(
            with_entry_details(
                entries.filter(Q(corrects=entry) | Q(pk=entry.corrects_id)), request.user
            ).order_by("recorded_at")
        )
        can_write = may_write(request.user, incident)
        response = render_page(
            request,
            "incidents/entry_detail.html",
            {
                "incident": incident,
                "entry": entry,
                "chain": chain,
                "can_write": can_write,
                "shares": Share.objects.visible_to(request.user)
                .filter(entry=entry)
                .select_related("organisation", "network", "created_by")
                .order_by("created_at"),
                "share_form": share_form
                or (ShareForm(incident=incident, user=request.user) if can_write else None),
                "kind_colours": KIND_COLOURS,
                "nav_section": "incidents",
            },
        )
        if share_form is not None:
            response.status_code = 400
        return response


class AttachmentDownloadView(ScopedMixin, View):
    """Serves an attachment through the storage API, to those who may see its entry."""

    model = Attachment

    def get(self, request, uuid):
        attachment = get_object_or_404(self.get_queryset(), uuid=uuid)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- search ----------------------------------------------------------------------------

HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def highlighted(headline):
    """The search headline, escaped, with its matches marked (the text is the user's
    own: escape first, then turn the private-use markers into <mark>)."""
    text = escape(headline or "")
    text = text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(text)  # noqa: S308  # nosec B703  # escaped above


class SearchView(ScopedMixin, View):
    """Norwegian full-text search across every log the user may see."""

    model = LogEntry
    paginate_by = 25

    def get(self, request):
        q = (request.GET.get("q") or "").strip()[:200]
        page = None
        if q:
            query = norwegian_query(q)
            rows = (
                self.get_queryset()
                .filter(search=query)
                .select_related("incident", "incident__frame", "incident__owner", "author")
                .annotate(
                    # A later entry corrected or retracted it (corrections of a visible
                    # entry are visible too).
                    superseded=Exists(LogEntry.objects.filter(corrects=OuterRef("pk"))),
                    rank=SearchRank(F("search"), query),
                    headline=SearchHeadline(
                        "text",
                        query,
                        config="norwegian",
                        start_sel=HIGHLIGHT_START,
                        stop_sel=HIGHLIGHT_STOP,
                        max_words=35,
                        min_words=15,
                        max_fragments=2,
                    ),
                )
                .order_by("-rank", "-occurred_at", "-id")
            )
            page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
            for entry in page.object_list:
                entry.snippet = highlighted(entry.headline)
        query = request.GET.copy()
        query.pop("page", None)
        return render_page(
            request,
            "incidents/search.html",
            {
                "q": q,
                "page": page,
                "query": query.urlencode(),
                "kind_colours": KIND_COLOURS,
                "nav_section": "incidents",
            },
            partial="results",
        )


# --- tasks -----------------------------------------------------------------------------


def tasks_with_details(queryset):
    return queryset.select_related(
        "incident",
        "incident__frame",
        "incident__owner",
        "assignee_user",
        "assignee_organisation",
        "source_entry",
    )


def mark_task_permissions(tasks, user):
    """Who may change a task's status, as ``do_set_task_status`` decides, without a query
    per task: its assignee, a member of the assigned organisation, or a writer of the
    incident."""
    viewer = viewer_for(user)
    writer_orgs = writer_org_ids(user)
    now = timezone.now()
    tasks = list(tasks)
    for task in tasks:
        task.may_change = (
            task.assignee_user_id == user.pk
            or task.assignee_organisation_id in viewer.org_ids
            or task.incident.owner_id in writer_orgs
        )
        task.next_statuses = TASK_TRANSITIONS[task.status]
        task.role_label = (
            Role(task.assignee_role).label if task.assignee_role in Role.values else ""
        )
        task.overdue = bool(
            task.due_at
            and task.due_at < now
            and task.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
        )
    return tasks


#: The status buttons a task offers, by its status.
TASK_TRANSITIONS = {
    TaskStatus.OPEN: [TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED],
    TaskStatus.IN_PROGRESS: [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.CANCELLED],
    TaskStatus.DONE: [TaskStatus.OPEN],
    TaskStatus.CANCELLED: [TaskStatus.OPEN],
}


def my_tasks_q(user):
    """Tasks for me: assigned to me, to a role I hold (in the organisation named, or the
    incident's owner), to my organisation as a whole, or created by me."""
    viewer = viewer_for(user)
    q = (
        Q(assignee_user_id=viewer.user_id)
        | Q(created_by_id=viewer.user_id)
        | Q(
            assignee_organisation_id__in=viewer.org_ids,
            assignee_role="",
            assignee_user__isnull=True,
        )
    )
    for org_id, role in viewer.roles:
        q |= Q(assignee_role=role) & (
            Q(assignee_organisation_id=org_id)
            | Q(assignee_organisation__isnull=True, incident__owner_id=org_id)
        )
    return q


class TaskListView(ScopedMixin, View):
    model = Task

    def get(self, request, uuid):
        incident = get_incident(request, uuid)
        tasks = tasks_with_details(self.get_queryset().filter(incident=incident)).order_by(
            "status", F("due_at").asc(nulls_last=True), "-created_at"
        )
        return render_page(
            request,
            "incidents/task_list.html",
            {
                "incident": incident,
                "tasks": mark_task_permissions(tasks, request.user),
                "can_write": may_write(request.user, incident),
                "now": timezone.now(),
                "nav_section": "incidents",
            },
        )


class MyTasksView(ScopedMixin, View):
    model = Task

    def get(self, request):
        show_all = request.GET.get("status") == "all"
        tasks = self.get_queryset().filter(my_tasks_q(request.user))
        if not show_all:
            tasks = tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
        tasks = tasks_with_details(tasks).order_by(F("due_at").asc(nulls_last=True), "-created_at")
        return render_page(
            request,
            "incidents/my_tasks.html",
            {
                "tasks": mark_task_permissions(tasks, request.user),
                "show_all": show_all,
                "now": timezone.now(),
                "nav_section": "tasks",
            },
        )


class TaskCreateView(ScopedMixin, View):
    """A blank task, or one from an action entry (``?entry=<uuid>``)."""

    model = Task

    def dispatch(self, request, uuid):
        self.incident = get_incident(request, uuid)
        require_write(request.user, self.incident)
        return super().dispatch(request, uuid)

    def render_form(self, form, entry=None, status=200):
        response = render_page(
            self.request,
            "incidents/task_form.html",
            {
                "incident": self.incident,
                "form": form,
                "entry": entry,
                "nav_section": "incidents",
            },
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request, uuid):
        initial = {}
        entry = None
        if request.GET.get("entry") and is_uuid(request.GET["entry"]):
            entry = get_object_or_404(
                entries_for(request.user, self.incident), uuid=request.GET["entry"]
            )
            first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
            initial = {
                "title": first_line[:200],
                "description": entry.text,
                "source_entry": entry.uuid,
            }
        form = TaskForm(initial=initial, incident=self.incident, user=request.user)
        return self.render_form(form, entry=entry)

    def post(self, request, uuid):
        form = TaskForm(request.POST, incident=self.incident, user=request.user)
        if form.is_valid():
            try:
                actions.do_create_task(
                    self.incident, acting_user=request.user, **form.action_kwargs()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The task was created."))
                return redirect_htmx(
                    request, reverse("incidents:task-list", args=[self.incident.uuid])
                )
        entry = form.cleaned_data.get("source_entry") if hasattr(form, "cleaned_data") else None
        return self.render_form(form, entry=entry, status=400)


class TaskStatusView(ScopedMixin, View):
    model = Task

    def post(self, request, uuid):
        task = get_object_or_404(self.get_queryset().select_related("incident"), uuid=uuid)
        form = TaskStatusForm(request.POST)
        fallback = reverse("incidents:task-list", args=[task.incident.uuid])
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return redirect(safe_next(request, fallback))
        task = actions.do_set_task_status(
            task, form.cleaned_data["status"], acting_user=request.user
        )
        messages.success(
            request,
            _("%(task)s: %(status)s.") % {"task": task.title, "status": task.get_status_display()},
        )
        return redirect(safe_next(request, fallback))
