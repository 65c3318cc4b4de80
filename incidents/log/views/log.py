"""The crisis log: quick entry, corrections and retractions, live updates by polling,
filters, an entry's own page, and attachment downloads."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from incidents.log import actions
from incidents.log.filtersets import LogEntryFilterSet
from incidents.log.forms import LogEntryForm, ShareForm
from incidents.log.models import Attachment, Correction, EntryKind, Incident, LogEntry, Share
from incidents.log.views.common import (
    KIND_COLOURS,
    STATUS_COLOURS,
    answerable_entries,
    decorate,
    entries_for,
    get_incident,
    may_write,
    regional_incidents,
    require_write,
    with_entry_details,
)
from portal.outbox import UNAVAILABLE, cache_get
from portal.search import is_uuid
from portal.web import ScopedMixin, add_action_errors, htmx_partial, render_page, stored_file

#: Entries per page of the log ("Vis eldre" loads the next).
LOG_PAGE_SIZE = 100
#: Polling asks for entries recorded since the last poll minus this margin: an entry is
#: stamped with its transaction's start time, so one that commits late could otherwise
#: be missed. Entries the page already shows are dropped by log.js.
POLL_OVERLAP = timedelta(seconds=10)
#: What the updates endpoint answers with, so log.js can tell it from a login page.
LOG_HEADER = "X-Samvirke-Log"
LIVE_HEADER = "X-Samvirke-Live"


def log_version(incident):
    """When the incident's log last changed, from the cache; None when Redis is down:
    the poll then reads the database every time (live updates slower, never lost)."""
    version = cache_get(actions.log_version_key(incident.pk))
    return None if version is UNAVAILABLE else (version or "0")


def filter_query(request, drop=("before", "since", "v", "page", "svar")):
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


class LogView(ScopedMixin, View):
    """The crisis log: quick entry at hand, entries newest first, filters, live updates."""

    model = LogEntry

    def get(self, request, uuid):
        incident = get_incident(request, uuid)
        filterset = LogEntryFilterSet(
            request.GET, queryset=entries_for(request.user, incident), request=request
        )
        entries, more = log_page_entries(request, incident, filterset)
        form = None
        answer = request.GET.get("svar")
        if answer and is_uuid(answer) and may_write(request.user, incident):
            # "Svar": the quick entry answers an entry of another log the user sees.
            responding = (
                answerable_entries(request.user, incident)
                .select_related("incident", "organisation")
                .filter(uuid=answer)
                .first()
            )
            if responding is not None:
                form = LogEntryForm(entries=None, initial={"responds_to": responding.uuid})
                form.responding = responding
        context = log_context(request, incident, filterset, form=form, entries=entries, more=more)
        if request.GET.get("before") and htmx_partial(request):
            # "Vis eldre": the next entries and the next button, appended to the list.
            return render(request, "incidents/log.html#older", context)
        context["regional"] = regional_incidents(request.user, incident)
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
            answerable=answerable_entries(request.user, incident),
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
        form.responding = getattr(form, "cleaned_data", {}).get("responds_to")
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
        return stored_file(
            attachment.file, filename=attachment.name, content_type=attachment.content_type
        )
