"""The mutual-aid demo loads on top of the demo incidents, and a second run adds nothing."""

import pytest
from django.core.management import call_command

from incidents.log.models import LogEntry
from networks.aid.models import (
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    ProcurementLine,
)
from portal.models import User

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        AssistanceRequest.objects.count(),
        AssistanceOffer.objects.count(),
        JointProcurement.objects.count(),
        ProcurementLine.objects.count(),
        LogEntry.objects.count(),
        User.objects.count(),
    ]


def test_demo_aid_is_idempotent_and_goes_in_line():
    call_command("load_demo_incidents", verbosity=0)
    call_command("load_demo_aid", verbosity=0)
    first = snapshot()
    assert first[:4] == [2, 3, 1, 16]
    generators = AssistanceRequest.objects.get(title__startswith="Strømaggregater")
    assert generators.fulfilled_quantity == 2
    assert generators.offers.filter(status="accepted").count() == 1
    officer = User.objects.get(email="ost.statsforvalter@demo.samvirke.no")
    assert AssistanceRequest.objects.visible_to(officer).count() == 2
    assert AssistanceOffer.objects.visible_to(officer).count() == 3
    ringerike_log = LogEntry.objects.filter(incident__owner__slug="kommune-3305")
    assert ringerike_log.count() == 2  # offered, accepted
    call_command("load_demo_aid", verbosity=0)
    assert snapshot() == first
