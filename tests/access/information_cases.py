"""Access-matrix cases for information down (messages, receipts, questions), and the
helpers the information tests share.

Built fresh for every route (inside the test's transaction):

* DSB_MESSAGE — DSB's analyst sends to the municipalities of Vestland and Rogaland: seen
  by DSB and by the recipients' people (Bergen's manager and reader, Stavanger's manager);
  not by the two regions' officers (they are not recipients), Drammen, Hole, Trondheim,
  KS, the Øst office or nobody. Its receipts are DSB's alone.
* VESTLAND_MESSAGE — Vestland's officer sends to Vestland's municipalities: seen by the
  Vestland office and Bergen; Rogaland's officer gets 404 (region A, region B).
* QUESTION — Bergen asks DSB on DSB_MESSAGE: seen by DSB and Bergen; DSB answers.

Who acts: the sender organisation's senders remind and answer; those of a recipient who
act for it (not a municipality's readers) ask.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from networks.information.actions import do_ask_question, do_send_message
from networks.information.models import Urgency
from networks.structure.models import Office
from tests.helpers import org
from tests.personas import user

SENDERS = {"vestland_officer", "rogaland_officer", "oest_officer", "dsb_analyst", "ks_analyst"}
DSB_AUDIENCE = {"dsb_analyst", "bergen_manager", "bergen_reader", "stavanger_manager"}
DSB_ASKERS = {"bergen_manager", "stavanger_manager"}
VESTLAND_AUDIENCE = {"vestland_officer", "bergen_manager", "bergen_reader"}
QUESTION_AUDIENCE = {"dsb_analyst", "bergen_manager", "bergen_reader"}


def make_message(
    sender="dsb",
    author="dsb_analyst",
    *,
    regions=("vestland", "rogaland"),
    title="Ekstremværet Hans: forbered evakuering",
    urgency=Urgency.URGENT,
    attachments=(),
    **fields,
):
    return do_send_message(
        sender=org(sender),
        acting_user=user(author),
        title=title,
        body=fields.pop("body", "Vurder **evakuering** av utsatte områder.\n\n- Meld status"),
        urgency=urgency,
        regions=list(Office.objects.filter(slug__in=regions)),
        attachments=attachments,
        **fields,
    )


def a_text_file(name="veileder.txt"):
    return SimpleUploadedFile(name, b"Veileder for kommunene\n", "text/plain")


def make_question(message=None, asker="bergen_manager", slug="kommune-4601"):
    message = message or make_message()
    return do_ask_question(
        message, organisation=org(slug), acting_user=user(asker), text="Gjelder dette Askøy?"
    )


def _message_cases(Case, api=False, method="get", ok=(200,), allowed=None, receipts=False):
    """The DSB message and the Vestland office's message; ``allowed`` names who may act
    on the DSB message (``receipts``: the sender organisation on each)."""

    def build():
        dsb = make_message()
        vestland = make_message(
            "statsforvalteren-vestland",
            "vestland_officer",
            regions=("vestland",),
            title="Vestland: kommunemøte i morgen",
            urgency=Urgency.INFORMATION,
        )
        return [
            Case(
                kwargs={"uuid": dsb.uuid},
                visible_to=DSB_AUDIENCE,
                allowed={"dsb_analyst"} if receipts else allowed,
                method=method,
                ok=ok,
                api=api,
            ),
            Case(
                kwargs={"uuid": vestland.uuid},
                visible_to=VESTLAND_AUDIENCE,
                allowed={"vestland_officer"} if receipts else None if allowed is None else set(),
                method=method,
                ok=ok,
                api=api,
            ),
        ][: 2 if receipts or allowed is None else 1]

    return build


def _question_cases(Case, api=False):
    def build():
        question = make_question()
        return [
            Case(
                kwargs={"uuid": question.uuid},
                visible_to=QUESTION_AUDIENCE,
                allowed={"dsb_analyst"},
                method="post",
                ok=(400,),  # an empty answer: the error in place
                api=api,
            )
        ]

    return build


def _attachment_cases(Case):
    def build():
        message = make_message(attachments=[a_text_file()])
        return [Case(kwargs={"uuid": message.attachments.get().uuid}, visible_to=DSB_AUDIENCE)]

    return build


def _list_cases(Case, api=False):
    def build():
        message = make_message(title="Matrise: melding fra DSB")
        if api:
            return [
                Case(kwargs={}, api=True, list_contains=str(message.uuid), visible_to=DSB_AUDIENCE)
            ]
        return [Case(kwargs={}, contains="Matrise: melding fra DSB", visible_to=DSB_AUDIENCE)]

    return build


def routes(Case):
    return {
        # pages
        "networks:message-list": _list_cases(Case),
        "networks:message-create": lambda: [
            Case(kwargs={}, allowed=SENDERS),
            Case(kwargs={}, allowed=SENDERS, method="post", ok=(400,)),
        ],
        "networks:message-detail": _message_cases(Case),
        "networks:message-cap": _message_cases(Case),
        "networks:message-attachment": _attachment_cases(Case),
        "networks:message-receipts": _message_cases(Case, receipts=True),
        "networks:message-receipts-updates": _message_cases(Case, ok=(200, 204), receipts=True),
        "networks:message-remind": _message_cases(Case, method="post", ok=(302,), receipts=True),
        "networks:message-ask": _message_cases(Case, method="post", ok=(400,), allowed=DSB_ASKERS),
        "networks:message-answer": _question_cases(Case),
        # API
        "api:message-list": lambda: [
            *_list_cases(Case, api=True)(),
            Case(kwargs={}, api=True, method="post", ok=(400,), allowed=SENDERS),
        ],
        "api:message-detail": _message_cases(Case, api=True),
        "api:message-cap": _message_cases(Case, api=True),
        "api:message-read": _message_cases(Case, api=True, method="post"),
        "api:message-receipts": _message_cases(Case, api=True, receipts=True),
        "api:message-remind": _message_cases(Case, api=True, method="post", receipts=True),
        "api:message-questions": lambda: [
            *_message_cases(Case, api=True)(),
            *_message_cases(Case, api=True, method="post", ok=(400,), allowed=DSB_ASKERS)(),
        ],
        "api:message-answer": lambda: [
            *_message_cases(Case, api=True, method="post", ok=(400,), allowed={"dsb_analyst"})(),
        ],
    }
