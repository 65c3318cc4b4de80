"""Export files re-checked and kept for a while: a download checks again, when it is
served, that the requester still may export what the file holds (an officer who left
the office gets 404, page and API); files expire after SAMVIRKE_EXPORT_RETENTION_DAYS
and the beat task ``expire_exports`` deletes them and marks their jobs expired (410 with
a clear message afterwards)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from networks.structure.models import Organisation
from portal.celery import app
from portal.models import RoleAssignment
from portal.roles import Role
from reporting.exports import jobs
from reporting.exports import tasks as export_tasks
from reporting.models import ExportJob, ExportKind, ExportState
from tests.helpers import api
from tests.personas import user
from tests.reporting.dashboard_helpers import BERGEN, answers, submit, vestland_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def made(requester="vestland_officer", kind=ExportKind.ROUND_CSV):
    round_ = vestland_round()
    submit(round_, BERGEN, answers(evakuerte=7), acting_user=user("bergen_manager"))
    job = jobs.do_request_export(
        acting_user=user(requester), kind=kind, params={"round": str(round_.uuid)}
    )
    export_tasks.run_export.apply(args=[job.pk]).get()
    job.refresh_from_db()
    assert job.state == ExportState.DONE, job.error
    return job


def urls(job):
    return (
        reverse("reporting:export-download", kwargs={"uuid": job.uuid}),
        reverse("api:export-download", kwargs={"uuid": job.uuid}),
    )


def test_a_download_after_the_officer_left_the_office_is_404(login):
    job = made()
    page, endpoint = urls(job)
    assert login("vestland_officer").get(page).status_code == 200
    assert api("vestland_officer").get(endpoint).status_code == 200
    # The officer moves from Vestland to Rogaland: the Vestland round's file is no longer
    # theirs to read, though they asked for it.
    officer = user("vestland_officer")
    RoleAssignment.objects.filter(user=officer, role=Role.OFFICER).delete()
    RoleAssignment.objects.create(
        user=officer,
        organisation=Organisation.objects.get(slug="statsforvalteren-rogaland"),
        role=Role.OFFICER,
    )
    assert login("vestland_officer").get(page).status_code == 404
    assert api("vestland_officer").get(endpoint).status_code == 404


def test_a_file_is_kept_for_the_retention_setting_then_the_beat_task_deletes_it(login, settings):
    settings.SAMVIRKE_EXPORT_RETENTION_DAYS = 2
    job = made()
    assert job.expires_at == job.finished_at + timedelta(days=2)
    fresh = made()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    page, endpoint = urls(job)
    job_page = reverse("reporting:export-job", kwargs={"uuid": job.uuid})
    assert "The file is kept until" in login("vestland_officer").get(job_page).content.decode()

    # Past its time, before the task ran: already refused, with a clear message.
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = login("vestland_officer").get(page)
    assert response.status_code == 410
    assert "has been deleted" in response.content.decode()
    response = api("vestland_officer").get(endpoint)
    assert response.status_code == 410 and "retention" in response.json()["detail"]
    detail = api("vestland_officer").get(reverse("api:export-detail", kwargs={"uuid": job.uuid}))
    assert detail.json()["download"] is None

    # The beat entry runs the task; run it for real.
    entry = app.conf.beat_schedule["expire-exports"]
    assert entry["task"] == export_tasks.expire_exports.name
    assert export_tasks.expire_exports.apply().get() == 1
    job.refresh_from_db()
    assert job.state == ExportState.EXPIRED and not job.file
    assert not storage.exists(name)
    fresh.refresh_from_db()
    assert fresh.state == ExportState.DONE and storage.exists(fresh.file.name)
    assert export_tasks.expire_exports.apply().get() == 0  # idempotent

    text = login("vestland_officer").get(job_page).content.decode()
    assert 'id="export-expired"' in text and "Make the export again" in text
    assert login("vestland_officer").get(page).status_code == 410
    assert api("vestland_officer").get(endpoint).status_code == 410
    assert login("bergen_manager").get(page).status_code == 404  # still nobody else's
