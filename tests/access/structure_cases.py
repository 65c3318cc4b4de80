"""Access-matrix cases for the county preparedness councils and the neighbour pairs
(issue 12, parts 5 and 6).

A council's membership is public inside the portal: every signed-in persona sees the
councils, their seats and the neighbour pairs (reference data). Only the chairing office's
officers change a council's seats (Rogaland's council: ``rogaland_officer``), and only an
office's officers correct the neighbour pairs of its region (Vestland: ``vestland_officer``).
The forms are posted empty: 400 with the errors in place (pages and API) for those who
may act, 403 for the others. An API create names its council or pair in the body, so an
empty body is 400 for every signed-in persona before any object is known.
"""

from networks.structure.models import CouncilMembership, NeighbourLink

COUNCIL_EDITORS = {"rogaland_officer"}
NEIGHBOUR_EDITORS = {"vestland_officer"}


def rogaland_seat():
    return CouncilMembership.objects.get(
        council__office__slug="rogaland", organisation__slug="sor-vest-politidistrikt"
    )


def bergen_askoy():
    return NeighbourLink.objects.current().get(first__number="4601", second__number="4627")


def routes(Case):
    return {
        "networks:council-member-add": lambda: [
            Case(kwargs={"slug": "rogaland"}, allowed=COUNCIL_EDITORS, method="post", ok=(400,))
        ],
        "networks:council-member-end": lambda: [
            Case(
                kwargs={"slug": "rogaland", "uuid": rogaland_seat().uuid},
                allowed=COUNCIL_EDITORS,
                method="post",
                ok=(302,),
            )
        ],
        "networks:office-neighbours": lambda: [
            Case(kwargs={"slug": "vestland"}),
            Case(kwargs={"slug": "rogaland"}),
        ],
        "networks:neighbour-add": lambda: [
            Case(kwargs={"slug": "vestland"}, allowed=NEIGHBOUR_EDITORS, method="post", ok=(400,))
        ],
        "networks:neighbour-remove": lambda: [
            Case(
                kwargs={"slug": "vestland", "uuid": bergen_askoy().uuid},
                allowed=NEIGHBOUR_EDITORS,
                method="post",
                ok=(302,),  # no reason: back to the page with the error, nothing removed
            )
        ],
        "api:council-membership-list": lambda: [
            Case(kwargs={}, api=True),
            Case(kwargs={}, api=True, method="post", ok=(400,)),
        ],
        "api:council-membership-detail": lambda: [
            Case(kwargs={"uuid": rogaland_seat().uuid}, api=True)
        ],
        "api:council-membership-end": lambda: [
            Case(
                kwargs={"uuid": rogaland_seat().uuid},
                api=True,
                allowed=COUNCIL_EDITORS,
                method="post",
                ok=(400,),
            )
        ],
        "api:neighbour-link-list": lambda: [
            Case(kwargs={}, api=True),
            Case(kwargs={}, api=True, method="post", ok=(400,)),
        ],
        "api:neighbour-link-detail": lambda: [Case(kwargs={"uuid": bergen_askoy().uuid}, api=True)],
        "api:neighbour-link-remove": lambda: [
            Case(
                kwargs={"uuid": bergen_askoy().uuid},
                api=True,
                allowed=NEIGHBOUR_EDITORS,
                method="post",
                ok=(400,),
            )
        ],
    }
