"""Access-matrix cases for exports and KS summaries (tests/access/test_matrix.py).

* A round's table (CSV/XLSX): whoever sees the round (tests/access/reporting_cases.py)
  reaches the route; of those, the issuer's people and the officers of a region in the
  round may export it (their region's rows); a municipality gets 403.
* A compiled picture (PDF/EDXL): whoever sees it (``Compilation.objects.visible_to``).
  The Vestland office's published (not forwarded) picture of its round is seen by the
  office, the round's municipalities (Bergen) and KS; DSB's draft national
  picture of its SNB round by DSB only.
* KS summaries: KS analysts and national analysts (others 403).
* Export jobs and their files: only the user who asked (others 404); a file only while
  the user still may make the export (tests/reporting/test_export_expiry.py).
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from networks.structure.models import Office
from reporting.compilation import compute_aggregates
from reporting.models import Compilation, ExportJob, ExportState
from tests.access import reporting_cases as rc
from tests.personas import user

VESTLAND_EXPORTERS = {"vestland_officer"}
NATIONAL_EXPORTERS = {"dsb_analyst", "vestland_officer", "rogaland_officer", "oest_officer"}
# published, not forwarded: national analysts see a regional picture once forwarded
PUBLISHED_PICTURE_AUDIENCE = {"vestland_officer", "bergen_manager", "bergen_reader", "ks_analyst"}
DRAFT_PICTURE_AUDIENCE = {"dsb_analyst"}
SUMMARISERS = {"ks_analyst", "dsb_analyst"}
JOB_OWNERS = ("dsb_analyst", "bergen_manager")
# A file is served only to a requester who still may make the export (a KS summary).
FILE_OWNERS = ("dsb_analyst", "ks_analyst")


def round_export_cases(Case):
    def build():
        vestland, national = rc._rounds()
        return [
            Case(
                kwargs={"uuid": vestland.uuid, "fmt": "csv"},
                visible_to=rc.VESTLAND_AUDIENCE,
                allowed=VESTLAND_EXPORTERS,
            ),
            Case(
                kwargs={"uuid": national.uuid, "fmt": "xlsx"},
                visible_to=rc.NATIONAL_AUDIENCE,
                allowed=NATIONAL_EXPORTERS,
            ),
        ]

    return build


def _pictures():
    vestland, national = rc._rounds()
    office = Office.objects.get(slug="vestland")
    now = timezone.now()
    published = Compilation.objects.create(
        round=vestland,
        level="regional",
        office=office,
        author_org_id=office.organisation_id,
        assessment="Matrise: vurdering",
        aggregates=compute_aggregates(vestland, office),
        published_at=now,
        published_by=user("vestland_officer"),
    )
    draft = Compilation.objects.create(
        round=national, level="national", office=None, author_org_id=national.issuer_id
    )
    return published, draft


def compilation_export_cases(Case):
    def build():
        published, draft = _pictures()
        return [
            Case(
                kwargs={"uuid": published.uuid, "fmt": "pdf"},
                visible_to=PUBLISHED_PICTURE_AUDIENCE,
            ),
            Case(kwargs={"uuid": draft.uuid, "fmt": "xml"}, visible_to=DRAFT_PICTURE_AUDIENCE),
        ]

    return build


def _jobs(done=False):
    jobs = []
    for name in FILE_OWNERS if done else JOB_OWNERS:
        job = ExportJob.objects.create(
            requested_by=user(name),
            kind="ks_summary_pdf",
            params={"network": None, "start": "2026-01-01", "end": "2026-01-31"},
        )
        if done:
            job.file.save("matrise.pdf", ContentFile(b"%PDF-1.4 matrise"), save=False)
            job.filename = "matrise.pdf"
            job.state = ExportState.DONE
            job.progress = 100
            job.save()
        jobs.append((name, job))
    return jobs


def job_cases(Case, api=False, done=False):
    def build():
        return [
            Case(kwargs={"uuid": job.uuid}, visible_to={name}, api=api) for name, job in _jobs(done)
        ]

    return build


def job_list_cases(Case):
    def build():
        return [
            *[
                Case(kwargs={}, api=True, list_contains=str(job.uuid), visible_to={name})
                for name, job in _jobs()
            ],
            Case(kwargs={}, api=True, method="post", ok=(400,)),  # empty request
        ]

    return build


def routes(Case) -> dict:
    """The export routes of the matrix, to merge into its ROUTES."""
    return {
        "reporting:round-export": round_export_cases(Case),
        "reporting:compilation-export": compilation_export_cases(Case),
        "reporting:ks-summary": lambda: [
            Case(kwargs={}, allowed=SUMMARISERS),
            Case(kwargs={}, allowed=SUMMARISERS, method="post", ok=(400,)),  # empty form
        ],
        "api:ks-summary": lambda: [
            Case(
                kwargs={}, allowed=SUMMARISERS, api=True, query="?start=2026-01-01&end=2026-01-31"
            ),
            Case(kwargs={}, allowed=SUMMARISERS, api=True, ok=(400,)),  # no period
        ],  # fmt: skip
        "reporting:export-list": lambda: [
            Case(kwargs={}),
            Case(kwargs={}, method="post", ok=(400,)),  # empty form
        ],
        "reporting:export-job": job_cases(Case),
        "reporting:export-download": job_cases(Case, done=True),
        "api:export-list": job_list_cases(Case),
        "api:export-detail": job_cases(Case, api=True),
        "api:export-download": job_cases(Case, api=True, done=True),
    }
