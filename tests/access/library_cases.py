"""Access-matrix cases for the library (documents, versions, files, diffs, shares,
adoptions), from the rules in DOMAIN.md:

* a document is seen by its owner, by the audiences it is shared with, and — "go in
  line" — by the owner's State Administrator office once it is shared with anyone.
  Stavanger's draft shared with Nord-Jæren: stavanger_manager and rogaland_officer (no
  other persona is in Nord-Jæren). Bergen's unshared plan: Bergen's two personas only.
  Everyone else gets 404 — files, versions and diffs included;
* the owner's emergency managers, crisis staff, officers and analysts write (new
  versions, shares); a reader of the owner, or the office that sees it, gets 403;
* adopting needs an organisation you write for other than the owner: of those who see
  Stavanger's draft only rogaland_officer may (an empty form: 400);
* who adopted which version is known to the adopter, the origin's owner and the
  officers of both regions (Sandnes adopted here: stavanger_manager, rogaland_officer).
"""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.library import actions as la
from networks.library.models import Document
from networks.structure.models import Network, Organisation
from portal.models import RoleAssignment
from portal.roles import Role
from tests.personas import PERSONAS, user

ALL = set(PERSONAS)
STAVANGER_AUDIENCE = {"stavanger_manager", "rogaland_officer"}
STAVANGER_WRITERS = {"stavanger_manager"}
BERGEN_AUDIENCE = {"bergen_manager", "bergen_reader"}
BERGEN_WRITERS = {"bergen_manager"}
#: The liaison persona is not in LIBRARY_WRITER_ROLES.
LIBRARY_WRITERS = ALL - {"bergen_reader", "nobody", "vest_police_liaison"}
ADOPTION_AUDIENCE = {"stavanger_manager", "rogaland_officer"}


def _org(slug):
    return Organisation.objects.get(slug=slug)


def _documents():
    stavanger = la.do_create_document(
        _org("kommune-1103"),
        user("stavanger_manager"),
        "local_regulation",
        "Matrise: lokal forskrift",
        "Smittevern",
        "§ 1 Formål",
        file=SimpleUploadedFile("forskrift.pdf", b"%PDF-1.7 matrise"),
    )
    la.do_share_document(
        stavanger, user("stavanger_manager"), network=Network.objects.get(slug="nord-jaeren")
    )
    bergen = la.do_create_document(
        _org("kommune-4601"),
        user("bergen_manager"),
        "plan_template",
        "Matrise: intern plan",
        "",
        "Intern",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.7 intern"),
    )
    return stavanger, bergen


def _adoption():
    stavanger, _bergen = _documents()
    adopter, _ = get_user_model().objects.get_or_create(
        username="matrix_sandnes", defaults={"email": "matrix_sandnes@test.samvirke.no"}
    )
    RoleAssignment.objects.get_or_create(
        user=adopter, organisation=_org("kommune-1108"), role=Role.EMERGENCY_MANAGER
    )
    return la.do_adopt(stavanger, adopter, _org("kommune-1108"))


def document_cases(Case, *, api=False, method="get", ok=(200,), writers=False,
                   adopters=False, number=False, query=""):  # fmt: skip
    def build():
        stavanger, bergen = _documents()
        cases = []
        for document, audience, editors in (
            (stavanger, STAVANGER_AUDIENCE, STAVANGER_WRITERS),
            (bergen, BERGEN_AUDIENCE, BERGEN_WRITERS),
        ):
            kwargs = {"uuid": document.uuid}
            if number:
                kwargs["number"] = 1
            allowed = editors if writers else None
            if adopters:
                allowed = {"rogaland_officer"} if document is stavanger else set()
            cases.append(
                Case(
                    kwargs=kwargs,
                    visible_to=audience,
                    allowed=allowed,
                    method=method,
                    ok=ok,
                    api=api,
                    query=query,
                )
            )
        return cases

    return build


def document_list_cases(Case):
    def build():
        stavanger, bergen = _documents()
        return [
            Case(
                kwargs={},
                api=True,
                list_contains=str(stavanger.uuid),
                visible_to=STAVANGER_AUDIENCE,
            ),  # fmt: skip
            Case(kwargs={}, api=True, list_contains=str(bergen.uuid), visible_to=BERGEN_AUDIENCE),
            Case(kwargs={}, api=True, method="post", ok=(400,)),  # empty: field errors
        ]

    return build


def document_page_list_cases(Case):
    def build():
        _documents()
        return [
            Case(kwargs={}, contains="Matrise: lokal forskrift", visible_to=STAVANGER_AUDIENCE),
            Case(kwargs={}, contains="Matrise: intern plan", visible_to=BERGEN_AUDIENCE),
        ]

    return build


def adoption_cases(Case, *, api=True):
    def build():
        adoption = _adoption()
        return [Case(kwargs={"uuid": adoption.uuid}, visible_to=ADOPTION_AUDIENCE, api=api)]

    return build


def adoption_list_cases(Case):
    def build():
        adoption = _adoption()
        return [
            Case(
                kwargs={}, api=True, list_contains=str(adoption.uuid), visible_to=ADOPTION_AUDIENCE
            ),  # fmt: skip
            Case(kwargs={}, api=True, method="post", ok=(400,)),
        ]

    return build


def origin_diff_cases(Case):
    """An adopted copy beside its origin: seen by the copy's owner while the origin is
    visible to it. Rogaland's office adopts Stavanger's draft (its copy: rogaland_officer
    only); Sandnes's copy has no persona; Bergen's plan is no copy (404 for all)."""

    def build():
        adoption = _adoption()
        office_copy = la.do_adopt(
            adoption.source, user("rogaland_officer"), _org("statsforvalteren-rogaland")
        ).copy
        bergen = Document.objects.get(title="Matrise: intern plan")
        return [
            Case(kwargs={"uuid": office_copy.uuid}, visible_to={"rogaland_officer"}),
            Case(kwargs={"uuid": adoption.copy.uuid}, visible_to=set()),
            Case(kwargs={"uuid": bergen.uuid}, visible_to=set()),
        ]

    return build


def routes(Case):
    return {
        # pages
        "networks:document-list": document_page_list_cases(Case),
        "networks:document-create": lambda: [
            Case(kwargs={}, allowed=LIBRARY_WRITERS),
            Case(kwargs={}, allowed=LIBRARY_WRITERS, method="post", ok=(400,)),
        ],
        "networks:document-detail": document_cases(Case),
        "networks:document-edit": lambda: [
            *document_cases(Case, writers=True)(),
            *document_cases(Case, writers=True, method="post", ok=(400,))(),
        ],
        "networks:document-versions": document_cases(Case),
        "networks:document-version": document_cases(Case, number=True),
        "networks:document-file": document_cases(Case, number=True),
        "networks:document-diff": document_cases(Case, query="?fra=1&til=1"),
        "networks:document-origin-diff": origin_diff_cases(Case),
        "networks:document-share": document_cases(Case, writers=True, method="post", ok=(400,)),
        "networks:document-unshare": document_cases(Case, writers=True, method="post", ok=(302,)),
        "networks:document-adopt": document_cases(Case, adopters=True, method="post", ok=(400,)),
        # API
        "api:document-list": document_list_cases(Case),
        "api:document-detail": document_cases(Case, api=True),
        "api:document-versions": lambda: [
            *document_cases(Case, api=True)(),
            *document_cases(Case, api=True, writers=True, method="post", ok=(400,))(),
        ],
        "api:document-version-file": document_cases(Case, api=True, number=True),
        "api:document-diff": document_cases(Case, api=True),
        "api:document-shares": lambda: [
            *document_cases(Case, api=True)(),
            *document_cases(Case, api=True, writers=True, method="post", ok=(400,))(),
        ],
        "api:document-unshare": document_cases(
            Case, api=True, writers=True, method="post", ok=(400,)
        ),
        "api:adoption-list": adoption_list_cases(Case),
        "api:adoption-detail": adoption_cases(Case),
    }
