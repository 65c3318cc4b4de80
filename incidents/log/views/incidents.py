"""Incident pages: the list grouped by crisis frame, create/edit, status, the incident
page with its shares and history.

Every object comes from a scoped queryset (``visible_to``): an outsider gets 404. A user
who sees an incident but may not write it gets 403 on every write. Every write goes
through ``incidents.log.actions``."""

import copy
from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View
from pghistory.models import Events

from incidents.log import actions
from incidents.log.filtersets import IncidentFilterSet
from incidents.log.forms import IncidentForm, IncidentStatusForm, ShareForm
from incidents.log.models import CrisisFrame, Incident, IncidentStatus, Share, Task, TaskStatus
from incidents.log.rules import incident_writer_org_ids
from incidents.log.views.common import (
    SEVERITY_COLOURS,
    STATUS_COLOURS,
    entries_for,
    get_incident,
    may_write,
)
from incidents.log.views.log import EntryDetailView
from networks.structure.models import Municipality
from portal.access import viewer_for
from portal.search import is_uuid
from portal.web import ActionFormView, ScopedMixin, add_action_errors, render_page, safe_next


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
                "can_create": bool(incident_writer_org_ids(request.user)),
                "nav_section": "incidents",
            },
            partial="results",
        )


class IncidentCreateView(ActionFormView):
    """Emergency managers and crisis staff create incidents for their organisation."""

    model = Incident
    template_name = "incidents/incident_form.html"
    nav_section = "incidents"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not incident_writer_org_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, form):
        return {"incident": None}

    def get_form(self, data=None, files=None):
        if data is not None:
            return IncidentForm(data, user=self.request.user)
        initial = {}
        frame_uuid = self.request.GET.get("frame")
        if frame_uuid and is_uuid(frame_uuid):
            # "Opprett øvingshendelse i denne rammen": the frame page links here.
            frame = (
                CrisisFrame.objects.visible_to(self.request.user).filter(uuid=frame_uuid).first()
            )
            if frame is not None:
                initial = {"frame": frame.pk, "type": frame.type}
                if frame.is_exercise:
                    initial["is_exercise"] = True
        return IncidentForm(user=self.request.user, initial=initial)

    def perform(self, form):
        return actions.do_create_incident(
            owner=form.cleaned_data["owner"],
            acting_user=self.request.user,
            affected=form.cleaned_data["affected"],
            **form.changes(),
        )

    def get_success_message(self, incident):
        return _("The incident %(title)s was created.") % {"title": incident.title}

    def get_success_url(self, incident):
        return reverse("incidents:log", args=[incident.uuid])


class IncidentEditView(ActionFormView):
    model = Incident
    template_name = "incidents/incident_form.html"
    nav_section = "incidents"
    success_message = _("The incident was saved.")

    def dispatch(self, request, uuid):
        self.incident = get_incident(request, uuid)
        if not request.user.has_perm("incidents.change_incident", self.incident):
            raise PermissionDenied
        return super().dispatch(request, uuid)

    def get_context(self, form):
        return {"incident": self.incident}

    def get_form(self, data=None, files=None):
        if data is None:
            return IncidentForm(instance=self.incident, user=self.request.user)
        return IncidentForm(data, instance=copy.copy(self.incident), user=self.request.user)

    def perform(self, form):
        return actions.do_update_incident(
            self.incident,
            acting_user=self.request.user,
            affected=form.cleaned_data["affected"],
            **form.changes(),
        )

    def get_success_url(self, incident):
        return reverse("incidents:incident-detail", args=[self.incident.uuid])


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
        if form.is_valid() and form.cleaned_data.get("region"):
            try:
                new = actions.do_share_with_region(
                    acting_user=request.user, incident=None if entry else incident, entry=entry
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Shared with the region's %(count)s municipalities (%(new)s new).")
                    % {"count": form.region_count, "new": len(new)},
                )
                anchor = (
                    reverse("incidents:entry-detail", args=[uuid, entry.uuid])
                    if entry
                    else reverse("incidents:incident-detail", args=[uuid])
                )
                return redirect(anchor + "#shares")
        elif form.is_valid():
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
