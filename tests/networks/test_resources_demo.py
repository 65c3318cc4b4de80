"""The demo resources and agreements: loaded twice without duplicates, shared as the
issue describes (Bergen's expertise reaches its neighbours and the Vestland office)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from networks.resources.models import Agreement, Resource, ResourceShare
from networks.structure.models import Municipality
from portal.models import RoleAssignment, User
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shared_in_line():
    call_command("load_demo_resources", verbosity=0)
    counts = (Resource.objects.count(), ResourceShare.objects.count(), Agreement.objects.count())
    call_command("load_demo_resources", verbosity=0)
    assert counts == (
        Resource.objects.count(),
        ResourceShare.objects.count(),
        Agreement.objects.count(),
    )
    assert counts[0] >= 20 and counts[2] == 3

    bergen = Municipality.objects.get(number="4601")
    neighbour = bergen.neighbours.order_by("label").first()
    visitor = User.objects.create(username="nabo-demo", email="nabo@test.samvirke.no")
    RoleAssignment.objects.create(
        user=visitor, organisation=neighbour.organisation, role=Role.EMERGENCY_MANAGER
    )
    names = set(Resource.objects.visible_to(visitor).values_list("name", flat=True))
    assert {"Kriseledelsesstøtte", "Psykososialt kriseteam"} <= names
    assert "Mobilt aggregat 250 kVA" not in names  # Øst's equipment stays in Øst

    soon = timezone.localdate() + timedelta(days=60)
    assert Agreement.objects.filter(valid_until__lte=soon).exists()
    nord_jaeren = Agreement.objects.get(title__startswith="Nord-Jæren")
    assert nord_jaeren.parties.count() == 4
