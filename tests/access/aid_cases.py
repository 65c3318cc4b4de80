"""Access-matrix cases for mutual aid (requests, offers, the regional overview, joint
procurement), and the helpers the aid tests share.

Built fresh for every case (inside the test's transaction):

* REQUEST — Stavanger asks for help in its own incident, sent to Bergen (named) and to
  its State Administrator. Seen by Stavanger, Bergen's people and the Rogaland officers
  (go in line); not by Vestland's officers, Drammen, DSB, KS, Trondheim (SNB) or nobody.
* OFFER — Bergen offers part of it. Seen by the offerer, the requester and the officers
  of either's region (Rogaland, Vestland).
* PROCUREMENT — Drammen leads a joint procurement with Stavanger invited: seen by
  Drammen and Stavanger (Drammen's office, Øst, has no persona).

Who acts: the requester's writers accept, decline, close and cancel; the offerer's
writers withdraw; organisations other than the requester (their writers, or an office's
officers) offer; the requester region's officers redirect; the lead exports; the
participants enter quantities.
"""

from datetime import timedelta

from django.utils import timezone

from incidents.log.models import IncidentType
from networks.aid.actions.offers import do_make_offer
from networks.aid.actions.procurement import do_create_procurement
from networks.aid.actions.requests import do_create_request
from portal.models import RoleAssignment, User
from tests.helpers import org
from tests.personas import user

REQUEST_AUDIENCE = {"stavanger_manager", "bergen_manager", "bergen_reader", "rogaland_officer"}
#: … and once Bergen has offered, Bergen's office too (go in line on both sides).
OFFERED_REQUEST_AUDIENCE = REQUEST_AUDIENCE | {"vestland_officer"}
OFFER_AUDIENCE = {
    "stavanger_manager",
    "bergen_manager",
    "bergen_reader",
    "rogaland_officer",
    "vestland_officer",
}
REQUESTER_WRITERS = {"stavanger_manager"}
OFFERERS = {"bergen_manager", "rogaland_officer"}  # of those who see the request
REDIRECTORS = {"rogaland_officer"}
WRITERS_ANYWHERE = {
    "bergen_manager", "stavanger_manager", "drammen_staff", "snb_coordinator", "hole_manager",
}  # fmt: skip
ACTORS_ANYWHERE = WRITERS_ANYWHERE | {"vestland_officer", "rogaland_officer", "oest_officer"}
OFFICERS = {"vestland_officer", "rogaland_officer", "oest_officer"}
#: The lead's (Drammen's) office sees its region's procurement, going in line.
PROCUREMENT_AUDIENCE = {"drammen_staff", "stavanger_manager", "oest_officer"}
#: Who enters quantities: the participating municipalities, not the office that watches.
PROCUREMENT_PARTICIPANTS = {"drammen_staff", "stavanger_manager"}
PROCUREMENT_LEAD = {"drammen_staff"}


def make_user(username, slug, role="emergency_manager", password=None):
    """An extra user with one role (tests must not add personas)."""
    account, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@test.samvirke.no"}
    )
    if created and password:
        account.set_password(password)
        account.save()
    RoleAssignment.objects.get_or_create(user=account, organisation=org(slug), role=role)
    return account


def make_incident(slug, author, title="Ekstremvær – flom"):
    from incidents.log import actions

    return actions.do_create_incident(
        owner=org(slug),
        acting_user=author,
        title=title,
        type=IncidentType.FLOOD,
        started_at=timezone.now(),
    )


def make_request(
    requester="kommune-1103",
    author=None,
    *,
    to=("kommune-4601",),
    quantity=10,
    title="Aggregater til pumpestasjoner",
    incident=None,
    **fields,
):
    author = author or user("stavanger_manager")
    incident = incident or make_incident(requester, author)
    return do_create_request(
        requester=org(requester),
        incident=incident,
        acting_user=author,
        title=title,
        category=fields.pop("category", "power"),
        quantity=quantity,
        unit=fields.pop("unit", "stk"),
        location=org(requester).municipality,
        needed_by=timezone.now() + timedelta(hours=12),
        organisations=[org(s) for s in to],
        to_office=fields.pop("to_office", True),
        **fields,
    )


def make_offer(request, offerer="kommune-4601", author=None, quantity=4, **fields):
    return do_make_offer(
        request,
        offerer=org(offerer),
        acting_user=author or user("bergen_manager"),
        quantity=quantity,
        **fields,
    )


def make_procurement(lead="kommune-3301", author=None, invited=("kommune-1103",)):
    return do_create_procurement(
        lead=org(lead),
        acting_user=author or user("drammen_staff"),
        title="Smittevernutstyr – felles innkjøp",
        deadline=timezone.now() + timedelta(days=7),
        items=[
            {"name": "Munnbind type IIR", "unit": "stk", "specification": "EN 14683"},
            {"name": "Hansker (nitril)", "unit": "eske à 100"},
        ],
        organisations=[org(s) for s in invited],
    )


# --- matrix cases --------------------------------------------------------------------------


def _request_cases(Case, api=False, method="get", ok=(200,), allowed=None):
    def build():
        return [
            Case(
                kwargs={"uuid": make_request().uuid},
                visible_to=REQUEST_AUDIENCE,
                allowed=allowed,
                method=method,
                ok=ok,
                api=api,
            )
        ]

    return build


def _offered_request_cases(Case, api=False):
    def build():
        aid = make_request()
        make_offer(aid)
        return [Case(kwargs={"uuid": aid.uuid}, visible_to=OFFERED_REQUEST_AUDIENCE, api=api)]

    return build


def _offer_cases(Case, api=False, method="post", ok=(302,), allowed=None):
    def build():
        return [
            Case(
                kwargs={"uuid": make_offer(make_request()).uuid},
                visible_to=OFFER_AUDIENCE,
                allowed=allowed,
                method=method,
                ok=ok,
                api=api,
            )
        ]

    return build


def _procurement_cases(Case, api=False, method="get", ok=(200,), allowed=None):
    def build():
        return [
            Case(
                kwargs={"uuid": make_procurement().uuid},
                visible_to=PROCUREMENT_AUDIENCE,
                allowed=allowed,
                method=method,
                ok=ok,
                api=api,
            )
        ]

    return build


def _request_list(Case, api=False):
    def build():
        aid = make_request(title="Matrise: bistand til Stavanger")
        if api:
            return [
                Case(kwargs={}, api=True, list_contains=str(aid.uuid), visible_to=REQUEST_AUDIENCE)
            ]
        return [
            Case(kwargs={}, contains="Matrise: bistand til Stavanger", visible_to=REQUEST_AUDIENCE)
        ]

    return build


def _offer_list(Case):
    def build():
        offer = make_offer(make_request())
        return [Case(kwargs={}, api=True, list_contains=str(offer.uuid), visible_to=OFFER_AUDIENCE)]

    return build


def _procurement_list(Case, api=False):
    def build():
        procurement = make_procurement()
        if api:
            return [
                Case(
                    kwargs={},
                    api=True,
                    list_contains=str(procurement.uuid),
                    visible_to=PROCUREMENT_AUDIENCE,
                )
            ]
        return [Case(kwargs={}, contains=procurement.title, visible_to=PROCUREMENT_AUDIENCE)]

    return build


def routes(Case):
    return {
        # pages
        "networks:aid-request-list": _request_list(Case),
        "networks:aid-request-create": lambda: [
            Case(kwargs={}, allowed=WRITERS_ANYWHERE),
            Case(kwargs={}, allowed=WRITERS_ANYWHERE, method="post", ok=(400,)),
        ],
        "networks:aid-overview": lambda: [Case(kwargs={}, allowed=OFFICERS)],
        "networks:aid-request-detail": lambda: [
            *_request_cases(Case)(),
            *_offered_request_cases(Case)(),
        ],
        "networks:aid-offer-create": _request_cases(
            Case, method="post", ok=(400,), allowed=OFFERERS
        ),
        "networks:aid-request-close": _request_cases(
            Case, method="post", ok=(302,), allowed=REQUESTER_WRITERS
        ),
        "networks:aid-request-redirect": _request_cases(
            Case, method="post", ok=(400,), allowed=REDIRECTORS
        ),
        "networks:aid-offer-accept": _offer_cases(Case, allowed=REQUESTER_WRITERS),
        "networks:aid-offer-decline": _offer_cases(Case, allowed=REQUESTER_WRITERS),
        "networks:aid-offer-withdraw": _offer_cases(Case, allowed={"bergen_manager"}),
        "networks:procurement-list": _procurement_list(Case),
        "networks:procurement-create": lambda: [
            Case(kwargs={}, allowed=WRITERS_ANYWHERE),
            Case(kwargs={}, allowed=WRITERS_ANYWHERE, method="post", ok=(400,)),
        ],
        "networks:procurement-detail": _procurement_cases(Case),
        "networks:procurement-quantities": _procurement_cases(
            Case, method="post", ok=(302,), allowed=PROCUREMENT_PARTICIPANTS
        ),
        "networks:procurement-export": _procurement_cases(Case, allowed=PROCUREMENT_LEAD),
        # API
        "api:aid-request-list": lambda: [
            *_request_list(Case, api=True)(),
            Case(kwargs={}, api=True, method="post", ok=(400,), allowed=WRITERS_ANYWHERE),
        ],
        "api:aid-request-detail": lambda: [
            *_request_cases(Case, api=True)(),
            *_offered_request_cases(Case, api=True)(),
        ],
        "api:aid-request-close": _request_cases(
            Case, api=True, method="post", allowed=REQUESTER_WRITERS
        ),
        "api:aid-request-cancel": _request_cases(
            Case, api=True, method="post", allowed=REQUESTER_WRITERS
        ),
        "api:aid-request-redirect": _request_cases(
            Case, api=True, method="post", ok=(400,), allowed=REDIRECTORS
        ),
        "api:aid-offer-list": lambda: [
            *_offer_list(Case)(),
            Case(kwargs={}, api=True, method="post", ok=(400,), allowed=ACTORS_ANYWHERE),
        ],
        "api:aid-offer-detail": _offer_cases(Case, api=True, method="get", ok=(200,)),
        "api:aid-offer-accept": _offer_cases(Case, api=True, ok=(200,), allowed=REQUESTER_WRITERS),
        "api:aid-offer-decline": _offer_cases(Case, api=True, ok=(200,), allowed=REQUESTER_WRITERS),
        "api:aid-offer-withdraw": _offer_cases(
            Case, api=True, ok=(200,), allowed={"bergen_manager"}
        ),
        "api:procurement-list": lambda: [
            *_procurement_list(Case, api=True)(),
            Case(kwargs={}, api=True, method="post", ok=(400,), allowed=WRITERS_ANYWHERE),
        ],
        "api:procurement-detail": _procurement_cases(Case, api=True),
        "api:procurement-items": _procurement_cases(Case, api=True),
        "api:procurement-totals": _procurement_cases(Case, api=True),
        "api:procurement-lines": _procurement_cases(
            Case, api=True, method="post", ok=(400,), allowed=PROCUREMENT_PARTICIPANTS
        ),
        "api:procurement-export": _procurement_cases(Case, api=True, allowed=PROCUREMENT_LEAD),
    }
