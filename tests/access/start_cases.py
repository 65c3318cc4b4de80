"""Access-matrix cases for the start page «Nå» and its API (issue 13): every persona opens
it; what it shows comes from each feature's ``visible_to``, so another organisation's
round, incident, message, request or follow-up never appears. Built fresh for the route:

* the Vestland round (reporting_cases): Bergen's people (to answer) and Vestland's
  officers (its counts);
* Stavanger's private incident: Stavanger only;
* Bergen's incident shared with SNB: Bergen, SNB's members (Stavanger, Trondheim) and, in
  line, Vestland's officers;
* DSB's message to Vestland and Rogaland: the municipalities' people (unread);
* Stavanger's request for assistance to Bergen: Bergen, Stavanger, Rogaland's officers;
* Øst's meeting follow-up assigned to Hole: Hole.
"""

from tests.access import aid_cases as ac
from tests.access import incident_cases as ic
from tests.access import information_cases as inf
from tests.access import meeting_cases as mc
from tests.access import reporting_cases as rc

SHOWN = {
    "Matrise: Vestland": {"bergen_manager", "bergen_reader", "vestland_officer"},
    "Privat flom": {"stavanger_manager"},
    "Delt flom": ic.SHARED_AUDIENCE,
    "Ekstremværet Hans: forbered evakuering": {
        "bergen_manager", "bergen_reader", "stavanger_manager",
    },
    "Aggregater til pumpestasjoner": {
        "bergen_manager", "bergen_reader", "stavanger_manager", "rogaland_officer",
    },
    "Kartlegge skader på kommunale veier": {"hole_manager"},
}  # fmt: skip


def _build():
    rc._rounds()
    ic.matrix_incidents()
    inf.make_message()
    ac.make_request()
    mc.make_follow_up()


def _cases(Case, api):
    def build():
        _build()
        return [
            Case(kwargs={}, api=api, contains=text, visible_to=audience)
            for text, audience in SHOWN.items()
        ]

    return build


def routes(Case):
    return {"home": _cases(Case, api=False), "api:start": _cases(Case, api=True)}
