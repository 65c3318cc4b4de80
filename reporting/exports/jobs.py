"""Who may export what, export requests and their jobs: an export is checked when it is
asked for (:func:`resolve_export`), made by :func:`build_export` — directly for a
download, or in a Celery task (``reporting/exports/tasks.py``) — and checked again before
its file is served (:func:`check_download`) until it expires (:func:`retention`)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from incidents.log.models import CrisisFrame
from networks.structure.models import Network
from portal.exports.files import CONTENT_TYPES, dated_filename
from portal.outbox import enqueue_after_commit
from portal.search import is_uuid
from reporting.exports.picture import compilation_pdf
from reporting.exports.sitrep import compilation_edxl
from reporting.exports.sources import Progress, compilation_place, no_progress, round_is_exercise
from reporting.exports.summary import ks_summary, ks_summary_pdf, ks_summary_xlsx
from reporting.exports.tables import round_csv, round_xlsx
from reporting.models import Compilation, ExportJob, ExportKind, ExportState, ReportingRound
from reporting.rules import exports_round, summarises


def may_export_round(user, round_) -> bool:
    """The ``reporting.export_round`` rule (``reporting/rules.py``)."""
    return exports_round(user, round_)


def may_summarise(user) -> bool:
    """The ``reporting.ks_summary`` rule (``reporting/rules.py``)."""
    return summarises(user)


#: Kinds that are made from a round, a compilation, or a KS summary's parameters.
ROUND_KINDS = (ExportKind.ROUND_CSV, ExportKind.ROUND_XLSX)
COMPILATION_KINDS = (ExportKind.COMPILATION_PDF, ExportKind.COMPILATION_EDXL)
SUMMARY_KINDS = (ExportKind.KS_SUMMARY_XLSX, ExportKind.KS_SUMMARY_PDF)
MAX_SUMMARY_DAYS = 366 * 5


def _uuid_param(params, key):
    try:
        return uuid.UUID(str(params.get(key, "")))
    except ValueError as error:
        raise ValidationError(
            {key: [_("Give the id (UUID) of the %(what)s.") % {"what": key}]}
        ) from error


def _date_param(params, key, errors):
    value = params.get(key)
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        errors[key] = [_("Enter a date as YYYY-MM-DD.")]
    return parsed


def resolve_export(user, kind, params) -> dict:
    """Check an export request as ``user`` and return what it is made from: ``round``,
    ``compilation`` or the summary's ``network``/``start``/``end``/``include_exercises``.

    Raises ValidationError (per parameter) for bad input, Http404 for an object the user
    does not see, PermissionDenied for one the user sees but may not export. Called when
    the export is asked for and again when the task runs (roles may have changed)."""
    if kind not in ExportKind.values:
        raise ValidationError(
            {"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(ExportKind.values)}]}
        )
    if not isinstance(params, dict):
        raise ValidationError({"params": [_("The parameters must be an object.")]})
    if kind in ROUND_KINDS:
        round_id = _uuid_param(params, "round")
        round_ = (
            ReportingRound.objects.visible_to(user)
            .select_related("form_version", "frame", "issuer")
            .filter(uuid=round_id)
            .first()
        )
        if round_ is None:
            raise Http404
        if not may_export_round(user, round_):
            raise PermissionDenied
        return {"round": round_}
    if kind in COMPILATION_KINDS:
        compilation_id = _uuid_param(params, "compilation")
        compilation = (
            Compilation.objects.visible_to(user)
            .select_related(
                "round__form_version",
                "round__frame",
                "round__incident",
                "office",
                "author_org",
                "published_by",
            )
            .filter(uuid=compilation_id)
            .first()
        )
        if compilation is None:
            raise Http404
        return {"compilation": compilation}
    if not may_summarise(user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    start = _date_param(params, "start", errors)
    end = _date_param(params, "end", errors)
    if start and end:
        if end < start:
            errors["end"] = [_("The end cannot be before the start.")]
        elif (end - start).days > MAX_SUMMARY_DAYS:
            errors["end"] = [_("A summary covers at most five years.")]
    network = None
    slug = params.get("network")
    if slug not in (None, ""):
        network = Network.objects.visible_to(user).filter(slug=str(slug)).first()
        if network is None:
            errors["network"] = [_("There is no network “%(slug)s”.") % {"slug": slug}]
    frame = None
    frame_id = params.get("frame")
    if frame_id not in (None, ""):
        frame = (
            CrisisFrame.objects.visible_to(user).filter(uuid=str(frame_id)).first()
            if is_uuid(str(frame_id))
            else None
        )
        if frame is None:
            errors["frame"] = [_("There is no such crisis frame.")]
    include = params.get("include_exercises", False)
    if not isinstance(include, bool):
        errors["include_exercises"] = [_("Must be true or false.")]
    if errors:
        raise ValidationError(errors)
    return {
        "network": network,
        "start": start,
        "end": end,
        "include_exercises": include,
        "frame": frame,
    }


def clean_params(kind, resolved) -> dict:
    """The parameters stored on the job (JSON)."""
    if kind in ROUND_KINDS:
        return {"round": str(resolved["round"].uuid)}
    if kind in COMPILATION_KINDS:
        return {"compilation": str(resolved["compilation"].uuid)}
    return {
        "network": resolved["network"].slug if resolved["network"] else None,
        "start": resolved["start"].isoformat(),
        "end": resolved["end"].isoformat(),
        "include_exercises": resolved["include_exercises"],
        "frame": str(resolved["frame"].uuid) if resolved.get("frame") else None,
    }


def build_export(user, kind, params, progress: Progress = no_progress):
    """(content, file name, content type) of an export, made as ``user``."""
    resolved = resolve_export(user, kind, params)
    progress(10)
    if kind in ROUND_KINDS:
        round_ = resolved["round"]
        exercise = round_is_exercise(round_)
        if kind == ExportKind.ROUND_CSV:
            content, extension = round_csv(round_, user, progress), "csv"
        else:
            content, extension = round_xlsx(round_, user, progress), "xlsx"
        return (
            content,
            dated_filename(f"runde-{round_.title}", extension, exercise=exercise),
            CONTENT_TYPES[extension],
        )
    if kind in COMPILATION_KINDS:
        compilation = resolved["compilation"]
        exercise = round_is_exercise(compilation.round)
        stem = f"situasjonsbilde-{compilation.round.title}-{compilation_place(compilation)}"
        if kind == ExportKind.COMPILATION_PDF:
            content, extension = compilation_pdf(compilation), "pdf"
        else:
            content, extension = compilation_edxl(compilation), "xml"
        progress(80)
        return content, dated_filename(stem, extension, exercise=exercise), CONTENT_TYPES[extension]
    summary = ks_summary(user=user, **resolved)
    progress(50)
    scope = resolved["network"].slug if resolved["network"] else "alle-kommuner"
    stem = f"ks-sammendrag-{scope}-{resolved['start']:%Y%m%d}-{resolved['end']:%Y%m%d}"
    if kind == ExportKind.KS_SUMMARY_XLSX:
        content, extension = ks_summary_xlsx(summary, progress), "xlsx"
    else:
        content, extension = ks_summary_pdf(summary, progress), "pdf"
    return content, dated_filename(stem, extension), CONTENT_TYPES[extension]


class ExportExpired(Exception):
    """The export's file was kept for its retention period and is deleted (or due)."""


def check_download(job: ExportJob, user) -> None:
    """Before an export's file is served (page and API): ``user`` must still see and be
    allowed to export what it was made from — roles change after the file was made, and an
    officer who left the office gets 404 like any outsider, whatever the file holds — and
    the file must not have expired (:class:`ExportExpired`; the views answer 410)."""
    try:
        resolve_export(user, job.kind, job.params)
    except (Http404, PermissionDenied, ValidationError, ObjectDoesNotExist) as error:
        raise Http404 from error
    if job.is_expired:
        raise ExportExpired


def retention() -> timedelta:
    """How long an export's file is kept (``SAMVIRKE_EXPORT_RETENTION_DAYS``)."""
    return timedelta(days=settings.SAMVIRKE_EXPORT_RETENTION_DAYS)


def do_request_export(*, acting_user, kind, params) -> ExportJob:
    """Ask for an export: checked now (bad input, not found, not allowed raise at once),
    made by ``reporting.exports.tasks.run_export`` after the transaction commits.

    Kept here rather than in ``reporting/actions.py``: an export writes nothing but its
    own job row, and everything it checks lives in this module."""
    resolved = resolve_export(acting_user, kind, params)
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=acting_user,
            kind=kind,
            params=clean_params(kind, resolved),
            state=ExportState.QUEUED,
        )
        # tasks.py imports this module at its top, for build_export and retention.
        from reporting.exports.tasks import run_export

        enqueue_after_commit(run_export, job.pk)
    return job
