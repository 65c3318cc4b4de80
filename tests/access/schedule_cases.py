"""Access-matrix cases for closing rounds, recurring rounds and notifications.

* Closing a round: whoever sees the round (reporting_cases) gets 403 unless they are the
  issuer's officer or analyst (Vestland's round: vestland_officer; the national SNB round:
  dsb_analyst); outsiders 404.
* A recurring round is its issuer's: the Vestland one is seen (and stopped) by
  vestland_officer only, DSB's by dsb_analyst only; everyone else gets 404.
* A notification is its recipient's alone (bergen_manager's here); every signed-in user
  has a notification page and may mark all of their own read.
"""

from datetime import time

from django.utils import timezone

from networks.structure.models import Network, Office, Organisation
from portal.notifications.actions import notify
from reporting import actions
from reporting.models import ReportForm
from tests.access import reporting_cases as rc
from tests.personas import user

VESTLAND_MANAGERS = {"vestland_officer"}
NATIONAL_MANAGERS = {"dsb_analyst"}
NOTIFICATION_TITLE = "Matrise: et varsel til Bergen"


def round_close_cases(Case, api=False):
    def build():
        vestland, national = rc._rounds()
        ok = (200,) if api else (302,)
        return [
            Case(
                kwargs={"uuid": vestland.uuid},
                visible_to=rc.VESTLAND_AUDIENCE,
                allowed=VESTLAND_MANAGERS,
                method="post",
                ok=ok,
                api=api,
            ),
            Case(
                kwargs={"uuid": national.uuid},
                visible_to=rc.NATIONAL_AUDIENCE,
                allowed=NATIONAL_MANAGERS,
                method="post",
                ok=ok,
                api=api,
            ),
        ]

    return build


def _schedules():
    form = ReportForm.objects.get(owner__slug="dsb")
    common = {"form": form, "time_of_day": time(12), "deadline_hours": 4}
    vestland = actions.do_create_schedule(
        issuer=Organisation.objects.get(slug="statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        title="Matrise: daglig Vestland",
        starts_on=timezone.localdate(),
        offices=[Office.objects.get(slug="vestland")],
        **common,
    )
    national = actions.do_create_schedule(
        issuer=Organisation.objects.get(slug="dsb"),
        acting_user=user("dsb_analyst"),
        title="Matrise: daglig SNB",
        starts_on=timezone.localdate(),
        network=Network.objects.get(slug="snb"),
        **common,
    )
    return [(vestland, VESTLAND_MANAGERS), (national, NATIONAL_MANAGERS)]


def schedule_list_cases(Case, api=False):
    def build():
        schedules = _schedules()
        if api:
            return [
                Case(kwargs={}, api=True, list_contains=str(s.uuid), visible_to=audience)
                for s, audience in schedules
            ] + [Case(kwargs={}, api=True, allowed=rc.ISSUERS, method="post", ok=(400,))]
        return [Case(kwargs={}, contains=s.title, visible_to=audience) for s, audience in schedules]

    return build


def schedule_cases(Case, api=False, method="get", ok=(200,)):
    def build():
        return [
            Case(
                kwargs={"uuid": s.uuid},
                visible_to=audience,
                allowed=audience if method == "post" else None,
                api=api,
                method=method,
                ok=ok,
            )
            for s, audience in _schedules()
        ]

    return build


def _notification():
    notify(
        [user("bergen_manager")],
        event_key="matrix:bergen",
        kind="comment",
        title=NOTIFICATION_TITLE,
        url="/",
    )
    return user("bergen_manager").notifications.get(event_key="matrix:bergen")


def notification_page_cases(Case):
    def build():
        _notification()
        return [Case(kwargs={}, contains=NOTIFICATION_TITLE, visible_to={"bergen_manager"})]

    return build


def notification_list_cases(Case):
    def build():
        return [
            Case(
                kwargs={},
                api=True,
                list_contains=str(_notification().uuid),
                visible_to={"bergen_manager"},
            )
        ]

    return build


def notification_cases(Case, api=False, method="get", ok=(200,)):
    def build():
        return [
            Case(
                kwargs={"uuid": _notification().uuid},
                visible_to={"bergen_manager"},
                api=api,
                method=method,
                ok=ok,
            )
        ]

    return build
