"""Access-matrix cases for the dashboard, compilations, the published picture, the
national view and the review of submissions (acknowledge, comments).

The two rounds of tests/access/reporting_cases.py are issued fresh for every case, and:

* VESTLAND's regional compilation is started by the Vestland office and left a draft:
  only the Vestland officers see it (404 for everyone else).
* In the NATIONAL (DSB → SNB) round, the Rogaland office publishes its regional picture:
  seen by its author, the municipalities of the round in Rogaland (Stavanger), the
  officers of every region in the round (Vestland), the issuer (DSB) and KS — not by
  Bergen (another region), Trondheim or Drammen. DSB's national compilation is a draft:
  DSB only.

The dashboard and the "Sammenstill" button are for the round's issuer (its officers or
analysts) and the officers of the round's regions; the others who see the round get 403.
The national view is for the issuer and national analysts. A submission is acknowledged
by the office or the issuer, and commented on by them and the municipality's writers.
"""

from django.utils import timezone

from networks.structure.models import Office
from reporting import actions
from reporting.models import Submission
from tests.access import reporting_cases as rc
from tests.personas import user

VESTLAND_DASHBOARD = {"vestland_officer"}
NATIONAL_DASHBOARD = {"dsb_analyst", "vestland_officer", "rogaland_officer", "oest_officer"}
VESTLAND_NATIONAL_VIEW = {"vestland_officer"}  # the issuer's officer
NATIONAL_NATIONAL_VIEW = {"dsb_analyst"}

VESTLAND_DRAFT_AUDIENCE = {"vestland_officer"}
ROGALAND_PICTURE_AUDIENCE = {
    "rogaland_officer", "stavanger_manager", "vestland_officer", "dsb_analyst", "ks_analyst",
    "oest_officer",
}  # fmt: skip
ROGALAND_AUTHORS = {"rogaland_officer"}
NATIONAL_DRAFT_AUDIENCE = {"dsb_analyst"}

#: Who acknowledges Bergen's (Vestland round) and Stavanger's (DSB's round) submissions.
BERGEN_REVIEWERS = {"vestland_officer"}
STAVANGER_REVIEWERS = {"rogaland_officer", "dsb_analyst"}
BERGEN_COMMENTERS = BERGEN_REVIEWERS | rc.VESTLAND_WRITERS
STAVANGER_COMMENTERS = STAVANGER_REVIEWERS | rc.STAVANGER_WRITERS


def _compilations():
    vestland, national = rc._rounds()
    regional = actions.do_start_compilation(
        vestland,
        acting_user=user("vestland_officer"),
        office=Office.objects.get(slug="vestland"),
    )
    rogaland_officer = user("rogaland_officer")
    rogaland = actions.do_start_compilation(
        national, acting_user=rogaland_officer, office=Office.objects.get(slug="rogaland")
    )
    rogaland = actions.do_save_assessment(
        rogaland, acting_user=rogaland_officer, assessment="Rolig i Rogaland.", expected_version=1
    )
    rogaland = actions.do_publish_compilation(rogaland, acting_user=rogaland_officer)
    national_draft = actions.do_start_compilation(national, acting_user=user("dsb_analyst"))
    return regional, rogaland, national_draft


def dashboard_cases(Case, api=False, method="get", ok=(200,)):
    """The dashboard, "Sammenstill" (POST), and the API's dashboard."""

    def build():
        vestland, national = rc._rounds()
        return [
            Case(
                kwargs={"uuid": vestland.uuid},
                visible_to=rc.VESTLAND_AUDIENCE,
                allowed=VESTLAND_DASHBOARD,
                api=api,
                method=method,
                ok=ok,
            ),
            Case(
                kwargs={"uuid": national.uuid},
                visible_to=rc.NATIONAL_AUDIENCE,
                allowed=NATIONAL_DASHBOARD,
                api=api,
                method=method,
                ok=ok,
            ),
        ]

    return build


def national_view_cases(Case):
    def build():
        vestland, national = rc._rounds()
        return [
            Case(
                kwargs={"uuid": vestland.uuid},
                visible_to=rc.VESTLAND_AUDIENCE,
                allowed=VESTLAND_NATIONAL_VIEW,
            ),
            Case(
                kwargs={"uuid": national.uuid},
                visible_to=rc.NATIONAL_AUDIENCE,
                allowed=NATIONAL_NATIONAL_VIEW,
            ),
        ]

    return build


def compilation_cases(Case, api=False, method="get", ok=(200,), authors_only=False):
    """One case per compilation: who sees it, and (``authors_only``) who may act on it."""

    def build():
        regional, rogaland, national_draft = _compilations()
        return [
            Case(
                kwargs={"uuid": c.uuid},
                visible_to=audience,
                allowed=authors if authors_only else None,
                api=api,
                method=method,
                ok=ok,
            )
            for c, audience, authors in (
                (regional, VESTLAND_DRAFT_AUDIENCE, VESTLAND_DRAFT_AUDIENCE),
                (rogaland, ROGALAND_PICTURE_AUDIENCE, ROGALAND_AUTHORS),
                (national_draft, NATIONAL_DRAFT_AUDIENCE, NATIONAL_DRAFT_AUDIENCE),
            )
        ]

    return build


#: Who gets the peer comparison of the Rogaland picture: the municipality that submitted.
ROGALAND_PEERS = {"stavanger_manager"}


def peer_cases(Case):
    """The peer comparison (API): for the municipality that submitted to the round (here
    Stavanger, whose submission is marked submitted); others who see the picture 403."""

    def build():
        regional, rogaland, national_draft = _compilations()
        Submission.objects.filter(round=rogaland.round, municipality__slug="kommune-1103").update(
            status="submitted", submitted_at=timezone.now()
        )
        return [
            Case(
                kwargs={"uuid": c.uuid},
                visible_to=audience,
                allowed=allowed,
                api=True,
            )
            for c, audience, allowed in (
                (regional, VESTLAND_DRAFT_AUDIENCE, set()),
                (rogaland, ROGALAND_PICTURE_AUDIENCE, ROGALAND_PEERS),
                (national_draft, NATIONAL_DRAFT_AUDIENCE, set()),
            )
        ]

    return build


def draft_compilation_cases(Case, method="post", ok=(400,)):
    """Publish / forward an unpublished compilation without an assessment: 400 for its
    author, 404 for everyone else."""

    def build():
        regional, _rogaland, national_draft = _compilations()
        return [
            Case(
                kwargs={"uuid": regional.uuid},
                visible_to=VESTLAND_DRAFT_AUDIENCE,
                api=True,
                method=method,
                ok=ok,
            ),
            Case(
                kwargs={"uuid": national_draft.uuid},
                visible_to=NATIONAL_DRAFT_AUDIENCE,
                api=True,
                method=method,
                ok=ok,
            ),
        ]

    return build


def compilation_list_cases(Case):
    def build():
        regional, rogaland, national_draft = _compilations()
        return [
            Case(kwargs={}, api=True, list_contains=str(c.uuid), visible_to=audience)
            for c, audience in (
                (regional, VESTLAND_DRAFT_AUDIENCE),
                (rogaland, ROGALAND_PICTURE_AUDIENCE),
                (national_draft, NATIONAL_DRAFT_AUDIENCE),
            )
        ] + [Case(kwargs={}, api=True, method="post", ok=(400,))]  # empty body

    return build


def review_cases(Case, *, commenters=False, api=False, method="post", ok=(302,)):
    """Acknowledge (reviewers) or comment (reviewers and the municipality's writers) on
    Bergen's and Stavanger's (draft) submissions."""

    def build():
        vestland, national = rc._rounds()
        bergen = Submission.objects.get(round=vestland, municipality__slug="kommune-4601")
        stavanger = Submission.objects.get(round=national, municipality__slug="kommune-1103")
        return [
            Case(
                kwargs={"uuid": bergen.uuid},
                visible_to=rc.VESTLAND_AUDIENCE,
                allowed=BERGEN_COMMENTERS if commenters else BERGEN_REVIEWERS,
                api=api,
                method=method,
                ok=ok,
            ),
            Case(
                kwargs={"uuid": stavanger.uuid},
                visible_to=rc.STAVANGER_AUDIENCE,
                allowed=STAVANGER_COMMENTERS if commenters else STAVANGER_REVIEWERS,
                api=api,
                method=method,
                ok=ok,
            ),
        ]

    return build


def routes(Case):
    """The matrix entries of this module (merged into ROUTES in test_matrix.py)."""
    return {
        # pages
        "reporting:dashboard": dashboard_cases(Case),
        "reporting:compile": dashboard_cases(Case, method="post", ok=(302,)),
        "reporting:national": national_view_cases(Case),
        # the live polls (a version the client does not have: the fragment)
        "reporting:dashboard-live": dashboard_cases(Case),
        "reporting:national-live": national_view_cases(Case),
        "reporting:compilation": lambda: [
            *compilation_cases(Case, authors_only=True)(),
            # an empty POST: "Write the assessment." in place
            *compilation_cases(Case, method="post", ok=(400,), authors_only=True)(),
        ],
        "reporting:picture": compilation_cases(Case),
        "reporting:picture-trend": compilation_cases(Case),
        # a draft cannot be acknowledged; the page goes back with the message (no JS)
        "reporting:submission-acknowledge": review_cases(Case),
        # an empty comment: back to the page with the message
        "reporting:submission-comment": review_cases(Case, commenters=True),
        # API
        "api:reporting-round-dashboard": dashboard_cases(Case, api=True),
        "api:compilation-list": compilation_list_cases(Case),
        "api:compilation-detail": lambda: [
            *compilation_cases(Case, api=True)(),
            *compilation_cases(Case, api=True, method="patch", ok=(400,), authors_only=True)(),
        ],
        "api:compilation-trend": compilation_cases(Case, api=True),
        "api:compilation-peers": peer_cases(Case),
        "api:compilation-publish": draft_compilation_cases(Case),
        "api:compilation-forward": draft_compilation_cases(Case),
        "api:submission-acknowledge": review_cases(Case, api=True, ok=(400,)),
        "api:submission-comments": lambda: [
            *rc.submission_cases(Case, api=True)(),
            *review_cases(Case, commenters=True, api=True, ok=(400,))(),
        ],
    }
