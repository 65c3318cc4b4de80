"""Access-matrix cases for the resource overview and assistance agreements.

Fresh for every case:

* BERGEN's resource (an aggregate) is shared with Stavanger: seen by Bergen's people, by
  Stavanger (the named audience) and — go in line — by the Vestland officers, since it is
  shared with someone. Kept (edited, shared) by Bergen's emergency manager.
* STAVANGER's resource (pumps) is not shared: Stavanger's manager only (the Rogaland
  officers see a region's resources only once they are shared with anyone).
* The share rows of Bergen's resource are the owner's business: Bergen's people and the
  Vestland officers; the audience sees the resource, not the list of audiences.
* The BERGEN–STAVANGER agreement (registered by Bergen) is seen by both parties' people
  and the officers of both regions; changed by Bergen's emergency manager.
* The DRAMMEN–LIER agreement (registered by Drammen) is seen by Drammen's crisis staff
  only among the personas (no Øst officer persona).

Creating resources and agreements is for emergency managers, crisis staff and officers.
"""

from datetime import date
from decimal import Decimal

from networks.resources import actions
from networks.structure.models import Municipality, Organisation
from tests.personas import PERSONAS, user

ALL = set(PERSONAS)
WRITERS = {
    "bergen_manager",
    "stavanger_manager",
    "drammen_staff",
    "vestland_officer",
    "rogaland_officer",
    "snb_coordinator",
    "hole_manager",
    "oest_officer",
}
BERGEN_RESOURCE_AUDIENCE = {
    "bergen_manager",
    "bergen_reader",
    "stavanger_manager",
    "vestland_officer",
}
BERGEN_SHARE_AUDIENCE = {"bergen_manager", "bergen_reader", "vestland_officer"}
STAVANGER_RESOURCE_AUDIENCE = {"stavanger_manager"}
BERGEN_AGREEMENT_AUDIENCE = {
    "bergen_manager", "bergen_reader", "stavanger_manager", "vestland_officer", "rogaland_officer",
}  # fmt: skip
#: Drammen's office sees its region's agreements, going in line.
DRAMMEN_AGREEMENT_AUDIENCE = {"drammen_staff", "oest_officer"}

BERGEN_NAME = "Matrise: aggregat Bergen"
STAVANGER_NAME = "Matrise: pumper Stavanger"
BERGEN_AGREEMENT = "Matrise: avtale Bergen–Stavanger"
DRAMMEN_AGREEMENT = "Matrise: avtale Drammen–Lier"


def _org(slug):
    return Organisation.objects.get(slug=slug)


def _resource(owner, acting, number, name):
    return actions.do_create_resource(
        owner=_org(owner),
        acting_user=user(acting),
        category="power",
        name=name,
        quantity=Decimal("3"),
        unit="stk.",
        municipality=Municipality.objects.get(number=number),
    )


def _objects():
    bergen = _resource("kommune-4601", "bergen_manager", "4601", BERGEN_NAME)
    share = actions.do_share_resource(
        bergen, acting_user=user("bergen_manager"), organisation=_org("kommune-1103")
    )
    stavanger = _resource("kommune-1103", "stavanger_manager", "1103", STAVANGER_NAME)
    lier = Municipality.objects.get(label="Lier").organisation
    common = {"scope": "Gjensidig bistand", "valid_from": date(2025, 1, 1)}
    bergen_agreement = actions.do_create_agreement(
        owner=_org("kommune-4601"),
        acting_user=user("bergen_manager"),
        title=BERGEN_AGREEMENT,
        parties=[_org("kommune-4601"), _org("kommune-1103")],
        resources=[bergen],
        **common,
    )
    drammen_agreement = actions.do_create_agreement(
        owner=_org("kommune-3301"),
        acting_user=user("drammen_staff"),
        title=DRAMMEN_AGREEMENT,
        parties=[_org("kommune-3301"), lier],
        **common,
    )
    return {
        "resources": [
            (bergen, BERGEN_RESOURCE_AUDIENCE, {"bergen_manager"}),
            (stavanger, STAVANGER_RESOURCE_AUDIENCE, {"stavanger_manager"}),
        ],
        "share": (share, BERGEN_SHARE_AUDIENCE),
        "agreements": [
            (bergen_agreement, BERGEN_AGREEMENT_AUDIENCE, {"bergen_manager"}),
            (drammen_agreement, DRAMMEN_AGREEMENT_AUDIENCE, {"drammen_staff"}),
        ],
    }


def resource_cases(Case, api=False, method="get", ok=(200,), editors=False):
    def build():
        return [
            Case(
                kwargs={"uuid": r.uuid},
                visible_to=audience,
                allowed=keepers if editors else None,
                method=method,
                ok=ok,
                api=api,
            )
            for r, audience, keepers in _objects()["resources"]
        ]

    return build


def agreement_cases(Case, api=False, method="get", ok=(200,), editors=False):
    def build():
        return [
            Case(
                kwargs={"uuid": a.uuid},
                visible_to=audience,
                allowed=keepers if editors else None,
                method=method,
                ok=ok,
                api=api,
            )
            for a, audience, keepers in _objects()["agreements"]
        ]

    return build


def list_page_cases(Case, key, names):
    def build():
        objects = _objects()[key]
        return [
            Case(kwargs={}, visible_to=audience, contains=name)
            for (obj, audience, _keepers), name in zip(objects, names, strict=True)
        ]

    return build


def api_list_cases(Case, key):
    def build():
        return [
            Case(kwargs={}, api=True, visible_to=audience, list_contains=str(obj.uuid))
            for obj, audience, _keepers in _objects()[key]
        ]

    return build


def share_cases(Case, detail=False):
    def build():
        share, audience = _objects()["share"]
        if detail:
            return [Case(kwargs={"pk": share.pk}, api=True, visible_to=audience)]
        return [Case(kwargs={}, api=True, visible_to=audience, list_contains=share.pk)]

    return build


def routes(Case):
    """The matrix entries of this module (merged into ROUTES in test_matrix.py)."""
    return {
        # pages
        "networks:resource-list": list_page_cases(Case, "resources", [BERGEN_NAME, STAVANGER_NAME]),
        "networks:resource-create": lambda: [
            Case(kwargs={}, allowed=WRITERS),
            Case(kwargs={}, allowed=WRITERS, method="post", ok=(400,)),  # empty form
        ],
        "networks:resource-detail": resource_cases(Case),
        "networks:resource-edit": lambda: [
            *resource_cases(Case, editors=True)(),
            *resource_cases(Case, editors=True, method="post", ok=(400,))(),
        ],
        # an empty share form: "Choose one audience" in place
        "networks:resource-share": resource_cases(Case, method="post", ok=(400,), editors=True),
        "networks:agreement-list": list_page_cases(
            Case, "agreements", [BERGEN_AGREEMENT, DRAMMEN_AGREEMENT]
        ),
        "networks:agreement-create": lambda: [
            Case(kwargs={}, allowed=WRITERS),
            Case(kwargs={}, allowed=WRITERS, method="post", ok=(400,)),
        ],
        "networks:agreement-detail": agreement_cases(Case),
        "networks:agreement-edit": lambda: [
            *agreement_cases(Case, editors=True)(),
            *agreement_cases(Case, editors=True, method="post", ok=(400,))(),
        ],
        # API
        "api:resource-list": api_list_cases(Case, "resources"),
        "api:resource-detail": lambda: [
            *resource_cases(Case, api=True)(),
            # an empty PATCH body: nothing changes, 200 for the keepers
            *resource_cases(Case, api=True, method="patch", editors=True)(),
        ],
        "api:resource-share-list": share_cases(Case),
        "api:resource-share-detail": share_cases(Case, detail=True),
        "api:agreement-list": api_list_cases(Case, "agreements"),
        "api:agreement-detail": lambda: [
            *agreement_cases(Case, api=True)(),
            *agreement_cases(Case, api=True, method="patch", editors=True)(),
        ],
    }
