"""Access-matrix cases for lessons learned, their shares, exercises and the KS export.

Built fresh for every case (inside the test's transaction):

* PRIVATE lesson — Stavanger's, shared with nobody: only Stavanger sees it.
* SHARED lesson — Bergen's, shared with the SNB network: Bergen, the other SNB cities
  (Stavanger, Trondheim) and, going in line, the Vestland office see it; Drammen (not in
  SNB), Rogaland's office, DSB, KS and users without roles do not.
* REGIONAL exercise — organised by the Vestland office with Bergen taking part: the
  office and Bergen see it; STAVANGER's exercise — its own: Stavanger and, as the
  organiser's office, Rogaland see it.

Lessons and exercises are written by the owner's emergency managers and crisis staff
(officers for an office's): readers and those it is shared with get 403. The KS export is
for KS analysts and national analysts (others 403).
"""

from datetime import date

from incidents.lessons import actions
from networks.structure.models import Network, Organisation
from tests.personas import user

PRIVATE_AUDIENCE = {"stavanger_manager"}
SHARED_AUDIENCE = {
    "bergen_manager", "bergen_reader", "stavanger_manager", "snb_coordinator",
    "vestland_officer",
}  # fmt: skip
#: Who may write lessons or exercises for some organisation (create pages and API).
WRITERS_ANYWHERE = {
    "bergen_manager", "stavanger_manager", "drammen_staff", "snb_coordinator",
    "vestland_officer", "rogaland_officer", "dsb_analyst", "hole_manager", "oest_officer",
}  # fmt: skip
EXPORTERS = {"ks_analyst", "dsb_analyst"}
REGIONAL_AUDIENCE = {"vestland_officer", "bergen_manager", "bergen_reader"}
STAVANGER_EXERCISE_AUDIENCE = {"stavanger_manager", "rogaland_officer"}


def _org(slug):
    return Organisation.objects.get(slug=slug)


def _lesson(owner, author, title, share_network=None):
    lesson = actions.do_create_lesson(
        owner=_org(owner),
        acting_user=user(author),
        title=title,
        what_happened="Beredskapslageret var tomt.",
        recommendation="Felles innkjøp i nettverket.",
        area="procurement",
        source="exercise",
        exercise=_exercise(owner, author, f"Øvelse for {title}"),
    )
    if share_network:
        actions.do_share_lesson(
            lesson, acting_user=user(author), network=Network.objects.get(slug=share_network)
        )
    return lesson


def _exercise(owner, author, title, participants=()):
    return actions.do_create_exercise(
        owner=_org(owner),
        acting_user=user(author),
        participants=[_org(p) for p in participants],
        title=title,
        scenario="power_outage",
        status="planned",
        planned_for=date(2026, 9, 1),
    )


def matrix_lessons():
    return [
        (_lesson("kommune-1103", "stavanger_manager", "Privat læring"), PRIVATE_AUDIENCE,
         {"stavanger_manager"}),
        (_lesson("kommune-4601", "bergen_manager", "Delt læring", "snb"), SHARED_AUDIENCE,
         {"bergen_manager"}),
    ]  # fmt: skip


def matrix_exercises():
    return [
        (
            _exercise(
                "statsforvalteren-vestland", "vestland_officer", "Regional øvelse", ["kommune-4601"]
            ),
            REGIONAL_AUDIENCE,
            {"vestland_officer"},
        ),
        (
            _exercise("kommune-1103", "stavanger_manager", "Stavangers øvelse"),
            STAVANGER_EXERCISE_AUDIENCE,
            {"stavanger_manager"},
        ),
    ]


def object_cases(Case, build_objects, *, method="get", ok=(200,), writers_only=False, api=False):
    def build():
        return [
            Case(
                kwargs={"uuid": obj.uuid},
                visible_to=audience,
                allowed=writers if writers_only else None,
                method=method,
                ok=ok,
                api=api,
            )
            for obj, audience, writers in build_objects()
        ]

    return build


def list_cases(Case, build_objects, *, api=False, post_ok=None):
    def build():
        cases = []
        for obj, audience, _writers in build_objects():
            if api:
                cases.append(
                    Case(kwargs={}, api=True, list_contains=str(obj.uuid), visible_to=audience)
                )
            else:
                cases.append(Case(kwargs={}, contains=str(obj.uuid), visible_to=audience))
        if post_ok:
            cases.append(
                Case(kwargs={}, api=api, allowed=WRITERS_ANYWHERE, method="post", ok=post_ok)
            )
        return cases

    return build


def creation_cases(Case):
    return lambda: [
        Case(kwargs={}, allowed=WRITERS_ANYWHERE),
        Case(kwargs={}, allowed=WRITERS_ANYWHERE, method="post", ok=(400,)),  # empty form
    ]


def routes(Case) -> dict:
    """The lessons-and-exercises routes of the matrix, to merge into its ROUTES."""
    return {
        # pages
        "incidents:lesson-list": list_cases(Case, matrix_lessons),
        "incidents:lesson-create": creation_cases(Case),
        "incidents:lesson-export": lambda: [
            Case(kwargs={}, allowed=EXPORTERS),
            Case(kwargs={}, allowed=EXPORTERS, query="?format=xlsx", ok=(400,)),  # no period
            Case(
                kwargs={},
                allowed=EXPORTERS,
                query="?format=pdf&start=2026-01-01&end=2026-12-31&network=snb",
            ),
        ],
        "incidents:lesson-detail": object_cases(Case, matrix_lessons),
        "incidents:lesson-edit": object_cases(Case, matrix_lessons, writers_only=True),
        "incidents:lesson-status": object_cases(
            Case, matrix_lessons, method="post", ok=(302,), writers_only=True
        ),
        "incidents:lesson-share": object_cases(
            Case,
            matrix_lessons,
            method="post",
            ok=(400,),
            writers_only=True,  # empty form
        ),
        "incidents:exercise-list": list_cases(Case, matrix_exercises),
        "incidents:exercise-create": creation_cases(Case),
        "incidents:exercise-detail": object_cases(Case, matrix_exercises),
        "incidents:exercise-edit": object_cases(Case, matrix_exercises, writers_only=True),
        # API
        "api:lesson-list": list_cases(Case, matrix_lessons, api=True, post_ok=(400,)),
        "api:lesson-detail": lambda: [
            *object_cases(Case, matrix_lessons, api=True)(),
            *object_cases(
                Case, matrix_lessons, api=True, method="patch", writers_only=True
            )(),  # an empty change
        ],
        "api:lesson-similar": object_cases(Case, matrix_lessons, api=True),
        "api:lesson-export": lambda: [
            Case(kwargs={}, api=True, allowed=EXPORTERS, ok=(400,)),  # no period
            Case(
                kwargs={},
                api=True,
                allowed=EXPORTERS,
                query="?start=2026-01-01&end=2026-12-31&kind=pdf&network=snb",
            ),
        ],
        "api:lesson-shares": lambda: [
            *object_cases(Case, matrix_lessons, api=True)(),
            *object_cases(
                Case, matrix_lessons, api=True, method="post", ok=(400,), writers_only=True
            )(),
        ],
        "api:exercise-list": list_cases(Case, matrix_exercises, api=True, post_ok=(400,)),
        "api:exercise-detail": lambda: [
            *object_cases(Case, matrix_exercises, api=True)(),
            *object_cases(Case, matrix_exercises, api=True, method="patch", writers_only=True)(),
        ],
    }
