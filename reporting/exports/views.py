"""Export pages: a round's table (CSV, XLSX) and a compiled picture (PDF, EDXL-SitRep) as
direct downloads; the KS summary form; the user's own exports, a job's page with a
progress bar that HTMX polls every second until the job is done, and its download.

Who may do what is decided in ``reporting/exports/jobs.py`` (``resolve_export``) for the page,
the API and the Celery task alike. Objects come from ``visible_to``: outsiders get 404.
A municipality sees its round but gets 403 for the round's table: its own answers are on
its submission page, and the table is the issuer's and the office's working document.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View

from portal.exports.files import download_response
from portal.web import ScopedMixin, add_action_errors, redirect_htmx, render_page
from reporting.exports.forms import ExportRequestForm, KsSummaryFilterForm, KsSummaryForm
from reporting.exports.jobs import (
    SUMMARY_KINDS,
    ExportExpired,
    build_export,
    check_download,
    do_request_export,
    may_summarise,
    resolve_export,
)
from reporting.exports.summary import ks_summary
from reporting.exports.summary_figures import figures
from reporting.models import Compilation, ExportJob, ExportKind, ExportState, ReportingRound

ROUND_FORMATS = {"csv": ExportKind.ROUND_CSV, "xlsx": ExportKind.ROUND_XLSX}
COMPILATION_FORMATS = {"pdf": ExportKind.COMPILATION_PDF, "xml": ExportKind.COMPILATION_EDXL}


def _build(request, kind, params):
    try:
        return build_export(request.user, kind, params)
    except ValidationError as error:  # a malformed id in the URL cannot happen; be safe
        raise Http404 from error


class RoundExportView(ScopedMixin, View):
    """GET …/eksport/csv/ or …/xlsx/: the round's table, made at once (one row per
    municipality the user sees)."""

    model = ReportingRound

    def get(self, request, uuid, fmt):
        if fmt not in ROUND_FORMATS:
            raise Http404
        round_ = get_object_or_404(self.get_queryset(), uuid=uuid)
        return download_response(*_build(request, ROUND_FORMATS[fmt], {"round": str(round_.uuid)}))


class CompilationExportView(ScopedMixin, View):
    """GET …/eksport/pdf/ or …/xml/ (EDXL-SitRep): the compiled picture, for whoever
    sees it."""

    model = Compilation

    def get(self, request, uuid, fmt):
        if fmt not in COMPILATION_FORMATS:
            raise Http404
        compilation = get_object_or_404(self.get_queryset(), uuid=uuid)
        return download_response(
            *_build(request, COMPILATION_FORMATS[fmt], {"compilation": str(compilation.uuid)})
        )


class ExportListView(ScopedMixin, View):
    """GET: the user's own exports, newest first. POST (the export buttons): start an
    export in the background and go to its page."""

    model = ExportJob

    def render(self, form=None, status=200):
        jobs = list(self.get_queryset().order_by("-created_at", "-id")[:50])
        return render_page(
            self.request,
            "reporting/export_list.html",
            {"jobs": jobs, "form": form, "nav_section": "reporting"},
            status=status,
        )

    def get(self, request):
        return self.render()

    def post(self, request):
        form = ExportRequestForm(request.POST)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            if kind in SUMMARY_KINDS:
                return redirect("reporting:ks-summary")
            try:
                job = do_request_export(acting_user=request.user, kind=kind, params=form.params())
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return redirect_htmx(request, reverse("reporting:export-job", args=[job.uuid]))
        return self.render(form, status=400)


#: The period the summary page shows before the analyst chooses one.
DEFAULT_SUMMARY_DAYS = 90


class KsSummaryView(ScopedMixin, View):
    """KS summaries (KS analysts and national analysts): a network's members or all
    municipalities over a period and crisis frame, with or without exercises — shown on
    the page first (tables with bar charts beside them, small groups suppressed), then
    made in the background as XLSX or PDF from exactly the same parameters and tables."""

    model = ExportJob

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_summarise(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, filter_form, export_form=None, status=200):
        shown = None
        if filter_form.is_valid():
            try:
                resolved = resolve_export(
                    self.request.user, ExportKind.KS_SUMMARY_XLSX, filter_form.params()
                )
            except ValidationError as error:
                add_action_errors(filter_form, error)
                status = 400
            else:
                shown = figures(ks_summary(user=self.request.user, **resolved))
        elif filter_form.is_bound:
            status = 400
        return render_page(
            self.request,
            "reporting/ks_summary.html",
            {
                "filter": filter_form,
                "form": export_form,
                "shown": shown,
                "params": filter_form.params() if shown is not None else None,
                "nav_section": "reporting",
            },
            partial="figures",
            status=status,
        )

    def get(self, request):
        if any(key in request.GET for key in ("start", "end", "network", "frame")):
            data = request.GET
        else:
            today = timezone.localdate()
            start = today - timedelta(days=DEFAULT_SUMMARY_DAYS)
            data = QueryDict(mutable=True)
            data.update({"start": start.isoformat(), "end": today.isoformat()})
        return self.render(KsSummaryFilterForm(data, user=request.user))

    def post(self, request):
        form = KsSummaryForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = do_request_export(
                    acting_user=request.user, kind=data["format"], params=form.params()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return redirect_htmx(request, reverse("reporting:export-job", args=[job.uuid]))
        return self.render(KsSummaryFilterForm(request.POST, user=request.user), form, status=400)


FINISHED = (ExportState.DONE, ExportState.FAILED, ExportState.EXPIRED)


def _job_page(request, job, status=200):
    return render_page(
        request,
        "reporting/export_job.html",
        {
            "job": job,
            "finished": job.state in FINISHED,
            "expired": job.state != ExportState.FAILED and job.is_expired,
            "nav_section": "reporting",
        },
        partial="progress",
        status=status,
    )


class ExportJobView(ScopedMixin, View):
    """An export's page: its state and a progress bar; an HTMX request gets only the
    ``progress`` fragment, which polls itself every second until the job is finished."""

    model = ExportJob

    def get(self, request, uuid):
        return _job_page(request, get_object_or_404(self.get_queryset(), uuid=uuid))


class ExportDownloadView(ScopedMixin, View):
    """The finished file, for the user who asked for it only (others: 404), and only
    while they still may export what it holds (checked now: 404 once they may not) and
    the file is kept (410 with the job's page saying it expired)."""

    model = ExportJob

    def get(self, request, uuid):
        job = get_object_or_404(self.get_queryset(), uuid=uuid)
        if job.state not in (ExportState.DONE, ExportState.EXPIRED):
            return redirect("reporting:export-job", uuid=job.uuid)
        try:
            check_download(job, request.user)
        except ExportExpired:
            return _job_page(request, job, status=410)
        if not job.file:
            return _job_page(request, job, status=410)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
