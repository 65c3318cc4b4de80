"""Rounds with a small form for the dashboard and compilation tests: two sector statuses,
two numbers and a need-for-help question."""

from datetime import timedelta

from django.utils import timezone

from networks.structure.models import Network, Office
from reporting import actions
from reporting.models import ReportForm, ReportingRound, Submission
from tests.helpers import org
from tests.personas import user

BERGEN, VOSS, STAVANGER = "kommune-4601", "kommune-4621", "kommune-1103"
DEFINITION = {
    "sections": [
        {
            "key": "status",
            "title": "Status",
            "fields": [
                {"key": "vann_status", "type": "sector_status", "label": "Status: vann og avløp",
                 "required": True},
                {"key": "strom_status", "type": "sector_status", "label": "Status: kraft",
                 "required": True},
                {"key": "evakuerte", "type": "integer", "label": "Evakuerte", "required": True,
                 "min": 0, "max": 100000},
                {"key": "fravaer", "type": "decimal", "label": "Fravær", "unit": "%",
                 "min": 0, "max": 100},
                {"key": "bistand_behov", "type": "choice", "label": "Behov for bistand?",
                 "options": [{"value": "nei", "label": "Nei"}, {"value": "ja", "label": "Ja"}]},
            ],
        }
    ]
}  # fmt: skip


def answers(evakuerte=10, vann="green", strom="green", behov="nei", fravaer=None):
    data = {
        "evakuerte": str(evakuerte),
        "vann_status": {"status": vann, "comment": "" if vann == "green" else "Kokevarsel"},
        "strom_status": {"status": strom},
        "bistand_behov": behov,
    }
    if fravaer is not None:
        data["fravaer"] = str(fravaer)
    return data


def small_form(owner="statsforvalteren-vestland", officer="vestland_officer", title="Oversikt"):
    form = ReportForm.objects.filter(owner__slug=owner, title=title).first()
    if form is not None:
        return form
    return actions.do_create_form(
        owner=org(owner),
        acting_user=user(officer),
        title=title,
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )


def vestland_round(title="Flom i Vestland", **kwargs):
    return actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=small_form(),
        title=title,
        deadline=timezone.now() + timedelta(hours=6),
        offices=[Office.objects.get(slug="vestland")],
        **kwargs,
    )


def dsb_round(*, offices=None, network=None, title="Nasjonal runde"):
    form = small_form(owner="dsb", officer="dsb_analyst", title="Nasjonal oversikt")
    return actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=form,
        title=title,
        deadline=timezone.now() + timedelta(hours=6),
        offices=offices or (),
        network=network,
    )


def snb_round():
    return dsb_round(network=Network.objects.get(slug="snb"), title="SNB-runde")


def national_round():
    return dsb_round(offices=list(Office.objects.all()), title="Hele landet")


def sub(round_, slug):
    return Submission.objects.get(round=round_, municipality__slug=slug)


def writer_for(slug):
    """A crisis staff user writing for the municipality (created on first use)."""
    from django.contrib.auth import get_user_model

    from portal.models import RoleAssignment

    User = get_user_model()
    name = f"writer-{slug}"
    writer, created = User.objects.get_or_create(
        username=name, defaults={"email": f"{name}@test.samvirke.no"}
    )
    if created:
        RoleAssignment.objects.create(user=writer, organisation=org(slug), role="crisis_staff")
    return writer


def submit(round_, slug, data=None, *, acting_user=None):
    submission = sub(round_, slug)
    return actions.do_submit(
        submission,
        expected_version=submission.version,
        acting_user=acting_user or writer_for(slug),
        answers=data or answers(),
    )


def pass_deadline(round_, hours=1):
    ReportingRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.now() - timedelta(hours=hours)
    )
    round_.refresh_from_db()
    return round_
