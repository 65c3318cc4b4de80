"""Access-matrix cases for comment rounds (høring) and action cards (tiltakskort).

* DSB's guide opened for comments by SNB: seen by DSB (dsb_analyst) and SNB's current
  members (bergen_manager, bergen_reader, stavanger_manager, snb_coordinator of
  Trondheim); DSB has no region, so no office. Commented on by the members' writers (not
  bergen_reader, not DSB), decided and ended by DSB.
* Stavanger's regulation draft opened for Bergen by name: seen by Stavanger, Bergen and —
  "go in line" — Rogaland's officer; Vestland's officer does not see it.
* Bergen's action card shared with SNB: seen by Bergen, SNB's members and Vestland's
  officer (the owner's region, once shared); its steps are edited by Bergen's emergency
  manager; applying it with an empty form is 400 for all who see it.

Everyone else gets 404.
"""

from datetime import timedelta

from django.utils import timezone

from networks.action_cards import actions as card_actions
from networks.comment_rounds import actions
from networks.library.actions import do_create_document, do_share_document
from networks.structure.models import Network
from tests.helpers import org
from tests.personas import user

SNB_MEMBERS = {"bergen_manager", "bergen_reader", "stavanger_manager", "snb_coordinator"}
DSB_ROUND_AUDIENCE = {"dsb_analyst"} | SNB_MEMBERS
DSB_ROUND_COMMENTERS = {"bergen_manager", "stavanger_manager", "snb_coordinator"}
DSB_ROUND_OWNERS = {"dsb_analyst"}
STAVANGER_ROUND_AUDIENCE = {
    "stavanger_manager",
    "bergen_manager",
    "bergen_reader",
    "rogaland_officer",
}
STAVANGER_ROUND_OWNERS = {"stavanger_manager"}
CARD_AUDIENCE = SNB_MEMBERS | {"vestland_officer"}
CARD_EDITORS = {"bergen_manager"}

GUIDE_BODY = """Innledning til veilederen.

## Formål

Veilederen utdyper forskrift om kommunal beredskapsplikt.

## Helhetlig risiko- og sårbarhetsanalyse

Kommunen skal kartlegge uønskede hendelser.

## Beredskapsplan

Planen skal inneholde en plan for kommunens kriseledelse.
"""

CARD_STEPS = [
    {"title": "Sett kriseledelsen", "role": "Kriseledelsen", "time_frame_minutes": 30},
    {"title": "Varsle innbyggerne", "role": "Kommunikasjonsansvarlig", "time_frame_minutes": 60},
    {"title": "Kartlegg sårbare brukere", "role": "Kommuneoverlege", "time_frame_hours": 3},
]


def dsb_round(deadline=None):
    """DSB's guide, opened for SNB's comments, with one comment from Bergen."""
    dsb = user("dsb_analyst")
    document = do_create_document(
        org("dsb"), dsb, "guide", "Matrise: veileder for beredskapsplikt", body=GUIDE_BODY
    )
    round_ = actions.do_open_round(
        document,
        acting_user=dsb,
        deadline=deadline or timezone.now() + timedelta(days=14),
        network=Network.objects.get(slug="snb"),
    )
    comment = actions.do_comment(
        round_, acting_user=user("bergen_manager"), section="Formål", body="Presiser formålet."
    )
    return round_, comment


def stavanger_round():
    stavanger = user("stavanger_manager")
    document = do_create_document(
        org("kommune-1103"), stavanger, "local_regulation", "Matrise: lokal forskrift", body="Tekst"
    )
    return actions.do_open_round(
        document,
        acting_user=stavanger,
        deadline=timezone.now() + timedelta(days=7),
        organisations=[org("kommune-4601")],
    )


def bergen_card():
    bergen = user("bergen_manager")
    card = do_create_document(
        org("kommune-4601"),
        bergen,
        "action_card",
        "Matrise: Tiltakskort strømbrudd",
        checklist=card_actions.clean_checklist(CARD_STEPS),
    )
    do_share_document(card, bergen, network=Network.objects.get(slug="snb"))
    return card


def routes(Case):
    def round_list(api=False):
        def build():
            dsb, _comment = dsb_round()
            stavanger = stavanger_round()
            if api:
                return [
                    Case(kwargs={}, api=True, list_contains=str(dsb.uuid),
                         visible_to=DSB_ROUND_AUDIENCE),
                    Case(kwargs={}, api=True, list_contains=str(stavanger.uuid),
                         visible_to=STAVANGER_ROUND_AUDIENCE),
                    # an empty body: 400 for every signed-in user
                    Case(kwargs={}, api=True, method="post", ok=(400,)),
                ]  # fmt: skip
            return [
                Case(kwargs={}, contains=str(dsb.uuid), visible_to=DSB_ROUND_AUDIENCE),
                Case(kwargs={}, contains=str(stavanger.uuid), visible_to=STAVANGER_ROUND_AUDIENCE),
            ]

        return build

    def round_cases(method="get", ok=(200,), allowed=None, api=False):
        def build():
            dsb, _comment = dsb_round()
            stavanger = stavanger_round()
            return [
                Case(kwargs={"uuid": dsb.uuid}, visible_to=DSB_ROUND_AUDIENCE,
                     allowed=allowed and allowed["dsb"], method=method, ok=ok, api=api),
                Case(kwargs={"uuid": stavanger.uuid}, visible_to=STAVANGER_ROUND_AUDIENCE,
                     allowed=allowed and allowed["stavanger"], method=method, ok=ok, api=api),
            ]  # fmt: skip

        return build

    def round_create():
        dsb, _comment = dsb_round()
        return [
            Case(kwargs={"uuid": dsb.document.uuid}, visible_to=DSB_ROUND_AUDIENCE,
                 allowed=DSB_ROUND_OWNERS),
            Case(kwargs={"uuid": dsb.document.uuid}, visible_to=DSB_ROUND_AUDIENCE,
                 allowed=DSB_ROUND_OWNERS, method="post", ok=(400,)),
        ]  # fmt: skip

    def comment_cases(method="get", ok=(200,), allowed=None, api=False):
        def build():
            _round, comment = dsb_round()
            return [
                Case(kwargs={"uuid": comment.uuid}, visible_to=DSB_ROUND_AUDIENCE,
                     allowed=allowed, method=method, ok=ok, api=api)
            ]  # fmt: skip

        return build

    def comment_list():
        _round, comment = dsb_round()
        return [
            Case(
                kwargs={}, api=True, list_contains=str(comment.uuid), visible_to=DSB_ROUND_AUDIENCE
            ),
            Case(kwargs={}, api=True, method="post", ok=(400,)),  # empty body
        ]

    def card_cases(method="get", ok=(200,), allowed=None, api=False, with_page=True):
        def build():
            card = bergen_card()
            return [
                Case(kwargs={"uuid": card.uuid}, visible_to=CARD_AUDIENCE, allowed=allowed,
                     method=method, ok=ok, api=api)
            ]  # fmt: skip

        return build

    def card_list(api=False):
        def build():
            card = bergen_card()
            if api:
                return [
                    Case(
                        kwargs={}, api=True, list_contains=str(card.uuid), visible_to=CARD_AUDIENCE
                    )
                ]
            return [Case(kwargs={}, contains=str(card.uuid), visible_to=CARD_AUDIENCE)]

        return build

    owners = {"dsb": DSB_ROUND_OWNERS, "stavanger": STAVANGER_ROUND_OWNERS}
    commenters = {"dsb": DSB_ROUND_COMMENTERS, "stavanger": {"bergen_manager"}}
    return {
        # pages
        "networks:comment-round-list": round_list(),
        "networks:comment-round-create": round_create,
        "networks:comment-round-detail": round_cases(),
        "networks:comment-create": round_cases(method="post", ok=(400,), allowed=commenters),
        "networks:comment-round-close": round_cases(method="post", ok=(400,), allowed=owners),
        "networks:comment-decide": comment_cases(
            method="post", ok=(400,), allowed=DSB_ROUND_OWNERS
        ),
        "networks:action-card-list": card_list(),
        "networks:action-card-detail": card_cases(),
        "networks:action-card-edit": lambda: [
            *card_cases(allowed=CARD_EDITORS)(),
            # an empty form (no steps): 400 with the message in place
            *card_cases(method="post", ok=(400,), allowed=CARD_EDITORS)(),
        ],
        "networks:action-card-apply": card_cases(method="post", ok=(400,)),
        # API
        "api:comment-round-list": round_list(api=True),
        "api:comment-round-detail": round_cases(api=True),
        "api:comment-round-close": round_cases(method="post", ok=(400,), allowed=owners, api=True),
        "api:document-comment-list": comment_list,
        "api:document-comment-detail": comment_cases(api=True),
        "api:document-comment-decide": comment_cases(
            method="post", ok=(400,), allowed=DSB_ROUND_OWNERS, api=True
        ),
        "api:action-card-list": card_list(api=True),
        "api:action-card-detail": card_cases(api=True),
        "api:action-card-checklist": card_cases(
            method="post", ok=(400,), allowed=CARD_EDITORS, api=True
        ),
        "api:action-card-apply": card_cases(method="post", ok=(400,), api=True),
    }
