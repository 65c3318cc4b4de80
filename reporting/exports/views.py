"""Export pages: a round's table (CSV, XLSX) and a compiled picture (PDF, EDXL-SitRep) as
direct downloads; the KS summary form; the user's own exports, a job's page with a
progress bar that HTMX polls every second until the job is done, and its download.

Who may do what is decided in ``reporting/exports/build.py`` (``resolve_export``) for the page,
the API and the Celery task alike. Objects come from ``visible_to``: outsiders get 404.
A municipality sees its round but gets 403 for the round's table: its own answers are on
its submission page, and the table is the issuer's and the office's working document.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views import View

from networks.models import Network
from portal.web import ScopedMixin, redirect_htmx, render_page
from reporting.exports import build as exports
from reporting.models import Compilation, ExportJob, ExportKind, ExportState, ReportingRound

ROUND_FORMATS = {"csv": ExportKind.ROUND_CSV, "xlsx": ExportKind.ROUND_XLSX}
COMPILATION_FORMATS = {"pdf": ExportKind.COMPILATION_PDF, "xml": ExportKind.COMPILATION_EDXL}


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _build(request, kind, params):
    try:
        return exports.build_export(request.user, kind, params)
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
        return _download(*_build(request, ROUND_FORMATS[fmt], {"round": str(round_.uuid)}))


class CompilationExportView(ScopedMixin, View):
    """GET …/eksport/pdf/ or …/xml/ (EDXL-SitRep): the compiled picture, for whoever
    sees it."""

    model = Compilation

    def get(self, request, uuid, fmt):
        if fmt not in COMPILATION_FORMATS:
            raise Http404
        compilation = get_object_or_404(self.get_queryset(), uuid=uuid)
        return _download(
            *_build(request, COMPILATION_FORMATS[fmt], {"compilation": str(compilation.uuid)})
        )


class ExportRequestForm(forms.Form):
    """The export buttons: what to export, from which round or compilation."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ExportKind.choices)
    round = forms.UUIDField(required=False, widget=forms.HiddenInput)
    compilation = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def params(self):
        data = self.cleaned_data
        if data["kind"] in exports.ROUND_KINDS:
            return {"round": str(data["round"] or "")}
        if data["kind"] in exports.COMPILATION_KINDS:
            return {"compilation": str(data["compilation"] or "")}
        return {}


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ExportListView(ScopedMixin, View):
    """GET: the user's own exports, newest first. POST (the export buttons): start an
    export in the background and go to its page."""

    model = ExportJob

    def render(self, form=None, status=200):
        jobs = list(self.get_queryset().order_by("-created_at", "-id")[:50])
        response = render_page(
            self.request,
            "reporting/export_list.html",
            {"jobs": jobs, "form": form, "nav_section": "reporting"},
        )
        response.status_code = status
        return response

    def get(self, request):
        return self.render()

    def post(self, request):
        form = ExportRequestForm(request.POST)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            if kind in exports.SUMMARY_KINDS:
                return redirect("reporting:ks-summary")
            try:
                job = exports.do_request_export(
                    acting_user=request.user, kind=kind, params=form.params()
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect_htmx(request, reverse("reporting:export-job", args=[job.uuid]))
        return self.render(form, status=400)


class KsSummaryForm(forms.Form):
    network = forms.ModelChoiceField(
        label=gettext_lazy("Municipalities"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=gettext_lazy("All municipalities"),
        to_field_name="slug",
        help_text=gettext_lazy("A network's member municipalities, or all municipalities."),
    )
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    include_exercises = forms.BooleanField(
        label=gettext_lazy("Include exercises (labelled ØVELSE)"), required=False
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            (ExportKind.KS_SUMMARY_XLSX, "XLSX"),
            (ExportKind.KS_SUMMARY_PDF, "PDF"),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).order_by("name")


class KsSummaryView(ScopedMixin, View):
    """KS summaries (KS analysts and national analysts): a network's members or all
    municipalities over a period, with or without exercises, made in the background as
    XLSX or PDF."""

    model = ExportJob

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not exports.may_summarise(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        response = render_page(
            self.request,
            "reporting/ks_summary.html",
            {"form": form, "nav_section": "reporting"},
            partial="form",
        )
        response.status_code = status
        return response

    def get(self, request):
        return self.render(KsSummaryForm(user=request.user))

    def post(self, request):
        form = KsSummaryForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = exports.do_request_export(
                    acting_user=request.user,
                    kind=data["format"],
                    params={
                        "network": data["network"].slug if data["network"] else None,
                        "start": data["start"].isoformat(),
                        "end": data["end"].isoformat(),
                        "include_exercises": data["include_exercises"],
                    },
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect_htmx(request, reverse("reporting:export-job", args=[job.uuid]))
        return self.render(form, status=400)


FINISHED = (ExportState.DONE, ExportState.FAILED, ExportState.EXPIRED)


def _job_page(request, job, status=200):
    response = render_page(
        request,
        "reporting/export_job.html",
        {
            "job": job,
            "finished": job.state in FINISHED,
            "expired": job.state != ExportState.FAILED and job.is_expired,
            "nav_section": "reporting",
        },
        partial="progress",
    )
    response.status_code = status
    return response


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
            exports.check_download(job, request.user)
        except exports.ExportExpired:
            return _job_page(request, job, status=410)
        if not job.file:
            return _job_page(request, job, status=410)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
