"""The State Administrator's side of a round and the picture coming back down:

* the dashboard (oversikt) of a round: map and table of the region's municipalities,
  filterable and sortable (HTMX swaps the table, plain links without JavaScript);
* starting a compilation, the compilation page (live aggregates, the office's
  assessment with a version check, publish, forward to the national level);
* the published picture (sammenstilt situasjonsbilde) for everyone who may see it, with
  a municipality's own answers beside the region's; the national view of a round;
* acknowledging and commenting on a submission (the submission page's review part).

Every object comes from a scoped queryset (``visible_to``); every write goes through
``reporting.actions``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.access import viewer_for
from portal.live import current_version, mark_changed, unchanged
from portal.web import ScopedMixin, redirect_htmx, render_page
from reporting import actions
from reporting.compilation import compute_aggregates, number_line
from reporting.dashboards.queries import (
    STATES,
    STATUS_COLOURS,
    DashboardQuery,
    dashboard_columns,
    dashboard_rows,
    dashboard_scope,
    round_regions,
    state_counts,
)
from reporting.models import (
    Compilation,
    CompilationLevel,
    ReportingRound,
    Submission,
    SubmissionComment,
    SubmissionStatus,
)
from reporting.peers import compare, own_place
from reporting.rules import compiles, form_owner_orgs
from reporting.validation import AGGREGATES, STATUSES, iter_fields

# --- the dashboard ---------------------------------------------------------------------


def _chosen_region(request, round_, regions, sees_all, value=None):
    """The region the page is about: ``?region=<slug>`` if the user may choose it (404
    otherwise); by default the only one, the whole round for the issuer, or the officer's
    own."""
    slug = request.GET.get("region", "") if value is None else value
    if slug:
        for office in regions:
            if office.slug == slug:
                return office
        raise Http404
    if len(regions) == 1:
        return regions[0]
    return None if sees_all else regions[0]


SORT_LABELS = {
    "name": gettext_lazy("Municipality"),
    "state": gettext_lazy("State"),
    "submitted": gettext_lazy("Submitted"),
    "acknowledged": gettext_lazy("Acknowledged"),
    "seen": gettext_lazy("Picture seen"),
}


def _headings(params, ordering, statuses, numbers):
    """Table headings with the link that sorts by them and their ``aria-sort``."""
    base = params.copy()
    base.pop("ordering", None)
    headings = []
    spec = [
        ("name", SORT_LABELS["name"], False),
        ("state", SORT_LABELS["state"], False),
        ("submitted", SORT_LABELS["submitted"], False),
        *((f"status:{c.key}", c.label, False) for c in statuses),
        *(
            (f"number:{c.key}", f"{c.label}{f' ({c.unit})' if c.unit else ''}", True)
            for c in numbers
        ),
        ("acknowledged", SORT_LABELS["acknowledged"], False),
        ("seen", SORT_LABELS["seen"], False),
    ]
    for key, label, numeric in spec:
        current = ordering.removeprefix("-") == key
        descending = current and ordering.startswith("-")
        link = base.copy()
        link["ordering"] = key if descending or not current else f"-{key}"
        headings.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "is_status": key.startswith("status:"),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
                "url": "?" + link.urlencode(),
            }
        )
    return headings


def map_data(rows, *, url_name="reporting:submission"):
    """What the map colours: municipality number → category, name and link."""
    return {
        row["number"]: {
            "category": row["state"],
            "label": f"{row['municipality']}: {row['state_label']}",
            "url": reverse(url_name, kwargs={"uuid": row["uuid"]}) if url_name else "",
        }
        for row in rows
        if row["number"]
    }


class DashboardView(ScopedMixin, View):
    """Oversikt — every municipality of a region in a round on a map and in a table. For
    the round's issuer (every region, ``?region=`` narrows) and the officers of the
    regions in it; others who see the round get 403. A constant number of queries."""

    model = ReportingRound

    def get(self, request, uuid):
        round_ = get_object_or_404(
            self.get_queryset().select_related("issuer", "form_version__form", "frame"), uuid=uuid
        )
        version = live_version(round_)  # read before the rows: a change after is seen next
        regions, sees_all = dashboard_scope(request.user, round_)
        if not regions:
            raise PermissionDenied
        context = dashboard_context(request, round_, regions, sees_all)
        context["live_version"] = version or ""
        response = render_page(request, "reporting/dashboard.html", context, partial="results")
        if context["errors"]:
            response.status_code = 400
        return response


class DashboardLiveView(ScopedMixin, View):
    """The dashboard's live poll (static/js/live.js, every few seconds with the page's
    filter, sort and ``v``): 204 while nothing changed in the round (one scoped query
    and a cache read); otherwise the counts, the table as filtered and sorted, the map's
    data and a short summary for screen readers, with the new version."""

    model = ReportingRound

    def get(self, request, uuid):
        round_ = get_object_or_404(
            self.get_queryset().select_related("issuer", "form_version__form", "frame"), uuid=uuid
        )
        version = live_version(round_)
        if (response := unchanged(request, version)) is not None:
            return response
        regions, sees_all = dashboard_scope(request.user, round_)
        if not regions:
            raise PermissionDenied
        context = dashboard_context(request, round_, regions, sees_all)
        response = TemplateResponse(request, "reporting/dashboard.html#live", context)
        response.render()
        return mark_changed(response, version)


def live_version(round_):
    """The round's dashboard version: what the writes bumped, and whether the deadline
    has passed (not submitted turns to missing by itself)."""
    return current_version(
        actions.round_version_key(round_.pk), int(timezone.now() > round_.deadline)
    )


def dashboard_context(request, round_, regions, sees_all) -> dict:
    """The dashboard's context: for the page and for its live poll alike."""
    office = _chosen_region(request, round_, regions, sees_all)
    rows = dashboard_rows(round_, office, submissions=Submission.objects.visible_to(request.user))
    query = DashboardQuery.from_params(request.GET, round_)
    shown = query.apply(rows)
    statuses, numbers = dashboard_columns(round_)
    params = request.GET.copy()
    for key in ("page", "v"):
        params.pop(key, None)
    compilations = list(
        Compilation.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("office")
        .order_by("level", "office__name_bokmaal")
    )
    if office is not None:
        mine = next((c for c in compilations if c.office_id == office.pk), None)
    else:
        mine = next((c for c in compilations if c.level == CompilationLevel.NATIONAL), None)
    can_compile = compiles(request.user, round_, office)
    meeting = request.GET.get("meeting") == "1"
    meeting_params = params.copy()
    if meeting:
        meeting_params.pop("meeting", None)
    else:
        meeting_params["meeting"] = "1"
    return {
        "round": round_,
        "office": office,
        "regions": regions,
        "sees_all": sees_all,
        "rows": shown,
        "total": len(rows),
        "counts": state_counts(rows),
        "query": query,
        "errors": query.errors,
        "headings": _headings(params, query.ordering, statuses, numbers),
        "statuses": statuses,
        "states": [(key, label, colour) for key, (label, colour) in STATES.items()],
        "status_filters": [
            ("red", _("Red")),
            ("yellow", _("Yellow")),
            ("red_yellow", _("Red or yellow")),
        ],
        "map_data": map_data(rows),
        "compilation": mine,
        "published": [c for c in compilations if c.is_published],
        "can_compile": can_compile,
        "meeting": meeting,
        "meeting_url": "?" + meeting_params.urlencode(),
        "live_url": reverse("reporting:dashboard-live", kwargs={"uuid": round_.uuid}),
        "nav_section": "reporting",
    }


class CompileView(ScopedMixin, View):
    """ "Sammenstill": start (or open) the compilation of a round for a region (``region``)
    or, for the issuer of a round over several regions, the national one."""

    model = ReportingRound

    def post(self, request, uuid):
        round_ = get_object_or_404(self.get_queryset(), uuid=uuid)
        regions, sees_all = dashboard_scope(request.user, round_)
        if not regions:
            raise PermissionDenied
        value = request.POST.get("region", request.GET.get("region", ""))
        office = _chosen_region(request, round_, regions, sees_all, value=value)
        try:
            compilation = actions.do_start_compilation(
                round_, acting_user=request.user, office=office
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("reporting:dashboard", kwargs={"uuid": round_.uuid}))
        return redirect_htmx(
            request, reverse("reporting:compilation", kwargs={"uuid": compilation.uuid})
        )


# --- aggregates for the pages ----------------------------------------------------------


def _bar(counts, keys):
    """Segments of a stacked bar (x and width in percent of the whole)."""
    total = sum(counts.get(k, 0) for k in keys)
    segments, x = [], Decimal(0)
    for key in keys:
        n = counts.get(key, 0)
        width = (Decimal(n) * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)
        segments.append({"key": key, "count": n, "x": x, "width": width})
        x += width
    return segments


def _in_form_order(mapping, order):
    """A published document comes back from jsonb with its keys re-ordered: show the
    fields in the form's order."""
    position = {key: i for i, key in enumerate(order or ())}
    return sorted((mapping or {}).items(), key=lambda item: position.get(item[0], len(position)))


def aggregate_view(aggregates, own_answers=None, *, round_=None, own_population=None):
    """The aggregates document (``compute_aggregates``) laid out for the templates, in the
    order of the round's form; with ``own_answers``, each line carries the municipality's
    own answer beside it (and, for a count, per 1,000 of ``own_population``)."""
    own = own_answers
    specs = {f["key"]: f for f in iter_fields(round_.form_version.definition)} if round_ else {}
    order = list(specs) if round_ else None
    status_labels = {**STATUSES, "none": _("Not given")}
    numbers = []
    for key, n in _in_form_order(aggregates.get("numbers"), order):
        line = number_line(
            key,
            n,
            specs.get(key),
            own=own.get(key) if own is not None else None,
            own_population=own_population,
        )
        line["aggregate_label"] = AGGREGATES.get(line["aggregate"], "")
        numbers.append(line)
    statuses = []
    for key, s in _in_form_order(aggregates.get("statuses"), order):
        own_value = (own or {}).get(key)
        own_code = own_value.get("status") if isinstance(own_value, dict) else ""
        segments = _bar(s, ("green", "yellow", "red", "none"))
        for segment in segments:
            segment["label"] = status_labels[segment["key"]]
            segment["colour"] = STATUS_COLOURS.get(segment["key"], "neutral")
        statuses.append(
            {
                "key": key,
                "label": s["label"],
                "segments": segments,
                "own": own_code or "",
                "own_label": STATUSES.get(own_code, ""),
                "own_colour": STATUS_COLOURS.get(own_code, "neutral"),
                "own_comment": own_value.get("comment", "") if isinstance(own_value, dict) else "",
            }
        )
    choices = []
    for key, c in _in_form_order(aggregates.get("choices"), order):
        own_value = (own or {}).get(key)
        chosen = set(own_value if isinstance(own_value, list) else [own_value])
        choices.append(
            {
                "key": key,
                "label": c["label"],
                "options": [
                    {"value": v, "label": label, "count": n, "own": v in chosen}
                    for v, label, n in c["options"]
                ],
            }
        )
    counts = aggregates.get("counts") or {}
    return {
        "counts": counts,
        "on_time": counts.get("submitted", 0) - counts.get("late", 0),
        "numbers": numbers,
        "statuses": statuses,
        "choices": choices,
        "needs_help": aggregates.get("needs_help") or [],
        "regions": aggregates.get("regions") or [],
        "computed_at": aggregates.get("computed_at"),
        "has_own": own is not None,
    }


def _compilation(request, uuid, *, published_only=False):
    queryset = Compilation.objects.visible_to(request.user).select_related(
        "round", "round__form_version__form", "round__issuer", "office", "author_org"
    )
    if published_only:
        queryset = queryset.filter(published_at__isnull=False)
    return get_object_or_404(queryset, uuid=uuid)


# --- the compilation page --------------------------------------------------------------


class CompilationView(ScopedMixin, View):
    """Sammenstilling — the author's page: live aggregates, the assessment (Markdown,
    saved with a version check), publish and forward. Others who see the compilation
    (e.g. national analysts once it is forwarded) get 403 here and read the picture."""

    model = Compilation

    def get_compilation(self, request, uuid):
        compilation = _compilation(request, uuid)
        if not compiles(request.user, compilation.round, compilation.office):
            raise PermissionDenied
        return compilation

    def render(self, compilation, *, assessment=None, errors=None, conflict=None, status=200):
        request = self.request
        aggregates = compute_aggregates(compilation.round, compilation.office)
        return render_page(
            request,
            "reporting/compilation.html",
            {
                "compilation": compilation,
                "round": compilation.round,
                "aggregates": aggregate_view(aggregates, round_=compilation.round),
                "assessment": compilation.assessment if assessment is None else assessment,
                "errors": errors or [],
                "conflict": conflict,
                "can_forward": compilation.office_id is not None,
                "nav_section": "reporting",
            },
            status=status,
        )

    def get(self, request, uuid):
        return self.render(self.get_compilation(request, uuid))

    def post(self, request, uuid):
        compilation = self.get_compilation(request, uuid)
        action = request.POST.get("action", "save")
        assessment = request.POST.get("assessment")
        expected = request.POST.get("version", "")
        expected = int(expected) if expected.isdigit() else -1
        try:
            if action == "save" and assessment is None:
                raise ValidationError(_("Write the assessment."))
            if action in ("save", "publish") and assessment is not None:
                compilation = actions.do_save_assessment(
                    compilation,
                    acting_user=request.user,
                    assessment=assessment,
                    expected_version=expected,
                )
            if action == "publish":
                compilation = actions.do_publish_compilation(compilation, acting_user=request.user)
                messages.success(
                    request,
                    _("The situation picture was published; the municipalities see it now."),
                )
                return redirect_htmx(
                    request, reverse("reporting:picture", kwargs={"uuid": compilation.uuid})
                )
            if action == "forward":
                actions.do_forward_compilation(compilation, acting_user=request.user)
                messages.success(request, _("The compilation was forwarded to the national level."))
            elif action == "save":
                messages.success(request, _("The assessment was saved."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            compilation.refresh_from_db()
            if getattr(error, "code", None) == "version_conflict":
                return self.render(
                    compilation, assessment=assessment, conflict=error.messages[0], status=409
                )
            return self.render(
                compilation, assessment=assessment, errors=error.messages, status=400
            )
        return redirect_htmx(
            request, reverse("reporting:compilation", kwargs={"uuid": compilation.uuid})
        )


# --- the published picture -------------------------------------------------------------


def _region_map(round_, office, needs_help, own_org_ids):
    """The region's municipalities for the picture's map: who needs help (published in
    the aggregates), the user's own municipality, the others. No per-municipality
    answers beyond what the picture publishes."""
    recipients = round_.recipients.all()
    if office is not None:
        recipients = recipients.filter(region=office)
    helped = {entry["uuid"] for entry in needs_help}
    data = {}
    for org_id, org_uuid, number, label in recipients.values_list(
        "pk", "uuid", "municipality__number", "municipality__label"
    ):
        if not number:
            continue
        if org_id in own_org_ids:
            category, text = "own", _("your municipality")
        elif str(org_uuid) in helped:
            category, text = "help", _("needs help")
        else:
            category, text = "region", _("in the round")
        if org_id in own_org_ids and str(org_uuid) in helped:
            text = _("your municipality, needs help")
        data[number] = {"category": category, "label": f"{label}: {text}", "url": ""}
    return data


class PictureView(ScopedMixin, View):
    """Situasjonsbilde — the published picture: the aggregates frozen at publication,
    the map, the office's assessment and, for a municipality in the round, its own
    answers beside the region's. Visiting it is recorded ("who saw"). The author sees an
    unpublished compilation here as a preview."""

    model = Compilation

    def get(self, request, uuid):
        compilation = _compilation(request, uuid)
        round_ = compilation.round
        viewer = viewer_for(request.user)
        own = (
            Submission.objects.visible_to(request.user)
            .filter(
                round=round_,
                municipality_id__in=viewer.org_ids,
                status=SubmissionStatus.SUBMITTED,
            )
            .select_related("municipality__municipality")
        )
        if compilation.office_id is not None:
            own = own.filter(municipality__region_id=compilation.office_id)
        own = own.order_by("municipality__name").first()
        if compilation.is_published:
            aggregates = compilation.aggregates
            actions.record_seen(compilation, request.user)
        else:
            aggregates = compute_aggregates(round_, compilation.office)
        own_municipality = own_place(own)
        view = aggregate_view(
            aggregates,
            own.visible_answers if own is not None else None,
            round_=round_,
            own_population=own_municipality.population if own_municipality else None,
        )
        peers = (
            compare(round_, own_municipality, region_id=compilation.office_id)
            if own_municipality is not None
            else None
        )
        return render_page(
            request,
            "reporting/picture.html",
            {
                "compilation": compilation,
                "round": round_,
                "aggregates": view,
                "own": own,
                "peers": peers,
                "trend_url": reverse("reporting:picture-trend", kwargs={"uuid": compilation.uuid}),
                "map_data": _region_map(
                    round_, compilation.office, view["needs_help"], viewer.org_ids
                ),
                "is_author": compilation.author_org_id in viewer.org_ids,
                "nav_section": "reporting",
            },
        )


class NationalView(ScopedMixin, View):
    """Nasjonalt — a round over several regions seen from the national level: every
    region's compiled report (forwarded or published), the national aggregate and the
    map of all its municipalities. For the round's issuer and national analysts."""

    model = ReportingRound

    live = False

    def get(self, request, uuid):
        round_ = get_object_or_404(
            self.get_queryset().select_related("issuer", "form_version__form", "frame"), uuid=uuid
        )
        version = live_version(round_)
        if self.live and (response := unchanged(request, version)) is not None:
            return response
        viewer = viewer_for(request.user)
        if round_.issuer_id not in form_owner_orgs(request.user) and not viewer.has_role(
            "national_analyst"
        ):
            raise PermissionDenied
        context = national_context(request, round_, viewer)
        if self.live:
            response = TemplateResponse(request, "reporting/picture_national.html#live", context)
            response.render()
            return mark_changed(response, version)
        context["live_version"] = version or ""
        return render_page(request, "reporting/picture_national.html", context)


class NationalLiveView(NationalView):
    """The national view's live poll: 204 while nothing changed in the round; otherwise
    the regions' table, the map's data and the summary (static/js/live.js)."""

    live = True


def national_context(request, round_, viewer) -> dict:
    regions = round_regions(round_)
    compilations = list(
        Compilation.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("office")
        .order_by("level", "office__name_bokmaal")
    )
    by_office = {c.office_id: c for c in compilations if c.office_id is not None}
    national = next((c for c in compilations if c.level == CompilationLevel.NATIONAL), None)
    aggregates = compute_aggregates(round_, None, regions=regions)
    region_rows = []
    counts_by_slug = {r["office"]: r for r in aggregates.get("regions", [])}
    for office in regions:
        region_rows.append(
            {
                "office": office,
                "counts": counts_by_slug.get(office.slug, {}),
                "compilation": by_office.get(office.pk),
            }
        )
    rows = dashboard_rows(round_, None, submissions=Submission.objects.visible_to(request.user))
    sees_submissions = round_.issuer_id in viewer.org_ids or bool(viewer.officer_office_ids)
    return {
        "round": round_,
        "aggregates": aggregate_view(aggregates, round_=round_),
        "region_rows": region_rows,
        "national": national,
        "can_compile": compiles(request.user, round_, None) and len(regions) > 1,
        "map_data": map_data(rows, url_name="reporting:submission" if sees_submissions else None),
        "states": [(key, label, colour) for key, (label, colour) in STATES.items()],
        "totals": state_counts(rows),
        "live_url": reverse("reporting:national-live", kwargs={"uuid": round_.uuid}),
        "nav_section": "reporting",
    }


# --- acknowledging and commenting on a submission --------------------------------------


def review_context(request, submission) -> dict:
    """The submission page's review part: the acknowledgement, the comment thread, who
    may acknowledge and comment, and the round's published pictures the user sees."""
    user = request.user
    return {
        "comments": list(
            SubmissionComment.objects.visible_to(user)
            .filter(submission=submission)
            .select_related("author", "organisation")
            .order_by("created_at", "id")
        ),
        "can_review": user.has_perm("reporting.review_submission", submission),
        "can_comment": user.has_perm("reporting.comment_submission", submission),
        "pictures": list(
            Compilation.objects.visible_to(user)
            .filter(round_id=submission.round_id, published_at__isnull=False)
            .select_related("office")
            .order_by("level", "office__name_bokmaal")
        ),
        "comment_max": actions.COMMENT_MAX_LENGTH,
    }


def _review_response(request, submission, *, body="", errors=None, status=200):
    submission = (
        Submission.objects.visible_to(request.user)
        .select_related("round", "municipality", "acknowledged_by")
        .get(pk=submission.pk)
    )
    response = TemplateResponse(
        request,
        "reporting/submission_review.html",
        {
            "submission": submission,
            "round": submission.round,
            "comment_body": body,
            "comment_errors": errors or [],
            **review_context(request, submission),
        },
        status=status,
    )
    response["Vary"] = "HX-Request"
    return response


class SubmissionReviewMixin(ScopedMixin):
    model = Submission

    def get_submission(self, uuid):
        return get_object_or_404(
            self.get_queryset().select_related("round", "municipality"), uuid=uuid
        )

    def back(self, request, submission, status=200, **kwargs):
        if request.htmx:
            return _review_response(request, submission, status=status, **kwargs)
        if status >= 400:
            for error in kwargs.get("errors") or []:
                messages.error(request, error)
        return redirect(
            reverse("reporting:submission", kwargs={"uuid": submission.uuid}) + "#review"
        )


class AcknowledgeView(SubmissionReviewMixin, View):
    """ "Kvitter ut": the office (or the issuer) acknowledges a submitted report."""

    def post(self, request, uuid):
        submission = self.get_submission(uuid)
        if not request.user.has_perm("reporting.review_submission", submission):
            raise PermissionDenied
        try:
            actions.do_acknowledge(submission, acting_user=request.user)
        except ValidationError as error:
            return self.back(request, submission, status=400, errors=error.messages)
        if not request.htmx:
            messages.success(request, _("The report is acknowledged."))
        return self.back(request, submission)


class CommentView(SubmissionReviewMixin, View):
    """A comment on a submission, by the office/issuer or the municipality."""

    def post(self, request, uuid):
        submission = self.get_submission(uuid)
        if not request.user.has_perm("reporting.comment_submission", submission):
            raise PermissionDenied
        body = request.POST.get("body", "")
        try:
            actions.do_comment(submission, acting_user=request.user, body=body)
        except ValidationError as error:
            return self.back(request, submission, status=400, body=body, errors=error.messages)
        return self.back(request, submission)
