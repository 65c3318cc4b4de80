"""Access-matrix cases for reporting rounds and submissions.

Two rounds are issued fresh for every case (inside the test's transaction):

* VESTLAND — issued by the Vestland office to its region: Bergen's people and the
  Vestland officers see it and Bergen's submission; Stavanger, the Rogaland office, DSB,
  KS, Drammen and the SNB coordinator (Trondheim) do not.
* NATIONAL — issued by DSB to the SNB network (Bergen, Stavanger, Trondheim …): DSB, the
  member cities' people and the officers of their regions see the round; Stavanger's
  submission is seen by Stavanger, the Rogaland office and DSB only.

Only the municipality's emergency managers and crisis staff write a submission (others
who see it get 403); officers and national analysts issue rounds.
"""

from datetime import timedelta

from django.utils import timezone

from networks.structure.models import Network, Office, Organisation
from reporting import actions
from reporting.models import ReportForm, Submission
from tests.personas import user

ISSUERS = {"vestland_officer", "rogaland_officer", "dsb_analyst", "oest_officer"}
VESTLAND_AUDIENCE = {"bergen_manager", "bergen_reader", "vestland_officer"}
VESTLAND_WRITERS = {"bergen_manager"}
NATIONAL_AUDIENCE = {
    "dsb_analyst", "bergen_manager", "bergen_reader", "stavanger_manager",
    "snb_coordinator", "vestland_officer", "rogaland_officer", "oest_officer",
}  # fmt: skip
STAVANGER_AUDIENCE = {"stavanger_manager", "rogaland_officer", "dsb_analyst"}
STAVANGER_WRITERS = {"stavanger_manager"}


def _rounds():
    deadline = timezone.now() + timedelta(days=1)
    form = ReportForm.objects.get(owner__slug="dsb")
    vestland = actions.do_issue_round(
        issuer=Organisation.objects.get(slug="statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=form,
        title="Matrise: Vestland",
        deadline=deadline,
        offices=[Office.objects.get(slug="vestland")],
    )
    national = actions.do_issue_round(
        issuer=Organisation.objects.get(slug="dsb"),
        acting_user=user("dsb_analyst"),
        form=form,
        title="Matrise: SNB",
        deadline=deadline,
        network=Network.objects.get(slug="snb"),
    )
    return vestland, national


def round_cases(Case, api=False, method="get", ok=(200,)):
    def build():
        vestland, national = _rounds()
        return [
            Case(
                kwargs={"uuid": vestland.uuid},
                visible_to=VESTLAND_AUDIENCE,
                api=api,
                method=method,
                ok=ok,
            ),
            Case(
                kwargs={"uuid": national.uuid},
                visible_to=NATIONAL_AUDIENCE,
                api=api,
                method=method,
                ok=ok,
            ),
        ]

    return build


def round_list_cases(Case, api=False):
    def build():
        vestland, national = _rounds()
        if api:
            return [
                Case(kwargs={}, api=True, list_contains=str(r.uuid), visible_to=audience)
                for r, audience in ((vestland, VESTLAND_AUDIENCE), (national, NATIONAL_AUDIENCE))
            ] + [Case(kwargs={}, api=True, allowed=ISSUERS, method="post", ok=(400,))]
        return [
            Case(kwargs={}, contains=vestland.title, visible_to=VESTLAND_AUDIENCE),
            Case(kwargs={}, contains=national.title, visible_to=NATIONAL_AUDIENCE),
        ]

    return build


def submission_cases(Case, api=False, method="get", ok=(200,), writers=False):
    def build():
        vestland, national = _rounds()
        bergen = Submission.objects.get(round=vestland, municipality__slug="kommune-4601")
        stavanger = Submission.objects.get(round=national, municipality__slug="kommune-1103")
        return [
            Case(
                kwargs={"uuid": bergen.uuid},
                visible_to=VESTLAND_AUDIENCE,
                allowed=VESTLAND_WRITERS if writers else None,
                api=api,
                method=method,
                ok=ok,
            ),
            Case(
                kwargs={"uuid": stavanger.uuid},
                visible_to=STAVANGER_AUDIENCE,
                allowed=STAVANGER_WRITERS if writers else None,
                api=api,
                method=method,
                ok=ok,
            ),
        ]

    return build


def submission_list_cases(Case):
    def build():
        vestland, national = _rounds()
        bergen = Submission.objects.get(round=vestland, municipality__slug="kommune-4601")
        stavanger = Submission.objects.get(round=national, municipality__slug="kommune-1103")
        return [
            Case(kwargs={}, api=True, list_contains=str(sub.uuid), visible_to=audience)
            for sub, audience in ((bergen, VESTLAND_AUDIENCE), (stavanger, STAVANGER_AUDIENCE))
        ]

    return build
