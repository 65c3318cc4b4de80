"""Exports made in the background (see reporting/exports/jobs.py).

:func:`run_export` makes the file of an :class:`~reporting.models.ExportJob` as the user
who asked for it — the same access checks as a direct download, run again now — and
moves ``progress`` as it goes so the job page's progress bar moves. It is idempotent: a
job already done is left alone; a retry after a crash starts the file again and replaces
whatever half-made file the crashed run left.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import NotificationKind
from portal.notifications.actions import notify
from reporting.exports.jobs import build_export, retention
from reporting.models import ExportJob, ExportState

logger = logging.getLogger(__name__)


def _set_progress(job_id, percent):
    ExportJob.objects.filter(pk=job_id, state=ExportState.RUNNING).update(
        progress=max(0, min(int(percent), 99))
    )


def _fail(job, message):
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.FAILED, error=message, finished_at=timezone.now()
    )


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export(job_id):
    """Make the export file of job ``job_id``; state done (with the file) or failed (with
    a message the user can read)."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.state in (ExportState.DONE, ExportState.EXPIRED):
        return
    with translation.override(settings.LANGUAGE_CODE):
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportState.RUNNING, progress=5, error="", finished_at=None
        )
        user = job.requested_by
        try:
            if not user.is_active:
                raise PermissionDenied
            content, filename, _content_type = build_export(
                user, job.kind, job.params, progress=lambda p: _set_progress(job.pk, p)
            )
        except (Http404, ObjectDoesNotExist):
            _fail(job, _("What you asked to export no longer exists, or you no longer see it."))
            return
        except PermissionDenied:
            _fail(job, _("You are no longer allowed to make this export."))
            return
        except ValidationError as error:
            _fail(
                job, _("The export could not be made: %(why)s") % {"why": _validation_text(error)}
            )
            return
        except Exception:
            logger.exception("export job %s failed", job.pk)
            _fail(job, _("The export failed because of an error in Samvirke. Try again later."))
            return
        _set_progress(job.pk, 95)
        job.refresh_from_db()
        if job.file:
            job.file.delete(save=False)  # what an earlier, crashed run of this job left
        job.file.save(filename, ContentFile(content), save=False)
        job.filename = filename
        job.state = ExportState.DONE
        job.progress = 100
        job.error = ""
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + retention()
        job.save(
            update_fields=[
                "file",
                "filename",
                "state",
                "progress",
                "error",
                "finished_at",
                "expires_at",
            ]
        )
        _notify(job)


@shared_task
def expire_exports():
    """Celery beat, hourly: delete the files of exports past their retention period
    (``ExportJob.expires_at``) and mark the jobs expired. Idempotent; a file already gone
    from storage is no error. Returns how many jobs it expired."""
    now = timezone.now()
    due = ExportJob.objects.filter(state=ExportState.DONE).filter(
        Q(expires_at__lte=now) | Q(expires_at__isnull=True, finished_at__lte=now - retention())
    )
    expired = 0
    for job in due.iterator():
        if job.file:
            job.file.delete(save=False)
        expired += ExportJob.objects.filter(pk=job.pk, state=ExportState.DONE).update(
            state=ExportState.EXPIRED, file="", expires_at=job.expires_at or now
        )
    if expired:
        logger.info("expired %d export file(s)", expired)
    return expired


def _notify(job):
    notify(
        [job.requested_by],
        event_key=f"export:{job.uuid}:ready",
        kind=NotificationKind.EXPORT_READY,
        title=_("Your export is ready: %(name)s") % {"name": job.filename},
        url=reverse("reporting:export-job", kwargs={"uuid": job.uuid}),
    )
