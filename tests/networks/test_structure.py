"""The structure of Norwegian preparedness, loaded from the bundled reference data."""

import pytest
from django.core.management import call_command
from django.db import connection

from networks.structure.models import (
    County,
    Municipality,
    Network,
    NetworkMembership,
    Office,
    Organisation,
)

pytestmark = pytest.mark.django_db


def test_counts():
    assert Municipality.objects.count() == 357
    assert County.objects.count() == 15
    assert Office.objects.count() == 10
    assert sum(m.population for m in Municipality.objects.all()) == 5_550_203


def test_every_county_is_covered_by_exactly_one_office():
    assert County.objects.filter(office__isnull=True).count() == 0
    covered = {c.number for o in Office.objects.all() for c in o.counties.all()}
    assert len(covered) == 15
    assert {c.number for c in Office.objects.get(slug="troms-finnmark").counties.all()} == {
        "55",
        "56",
    }


@pytest.mark.parametrize(
    "number,label",
    [
        ("0301", "Oslo"),
        ("4601", "Bergen"),
        ("5001", "Trondheim"),
        ("1103", "Stavanger"),
        ("4204", "Kristiansand"),
        ("5501", "Tromsø"),
        ("3201", "Bærum"),
        ("3301", "Drammen"),
    ],
)
def test_big_cities(number, label):
    municipality = Municipality.objects.get(number=number)
    assert municipality.label == label
    assert municipality.organisation.region == municipality.county.office


def test_networks_as_of_the_report():
    current = NetworkMembership.objects.current()
    assert current.filter(network__slug="snb").count() == 6
    assert current.filter(network__slug="ks-storbynettverk").count() == 8
    snb = set(current.filter(network__slug="snb").values_list("organisation__slug", flat=True))
    assert "kommune-3201" not in snb and "kommune-3301" not in snb


def test_neighbours_are_symmetric_and_derived_from_borders():
    stavanger = Municipality.objects.get(number="1103")
    # land borders, Strand by Ryfast (a fixed link), Hjelmeland within 1 500 m across water
    assert set(stavanger.neighbours.values_list("label", flat=True)) == {
        "Randaberg",
        "Sandnes",
        "Sola",
        "Strand",
        "Hjelmeland",
    }
    oslo = Municipality.objects.get(number="0301")
    assert {"Bærum", "Nordre Follo", "Lillestrøm"} <= set(
        oslo.neighbours.values_list("label", flat=True)
    )
    assert all(oslo in m.neighbours.all() for m in oslo.neighbours.all())


def test_national_bodies_exist():
    for slug in ("dsb", "helsedirektoratet", "imdi", "ks"):
        assert Organisation.objects.filter(slug=slug).exists()


def test_loading_twice_changes_nothing():
    def snapshot():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM networks_organisation),"
                " (SELECT count(*) FROM networks_municipality_neighbours),"
                " (SELECT count(*) FROM networks_networkmembership),"
                " (SELECT count(*) FROM networks_organisationevent)"
            )
            return cursor.fetchone()

    before = snapshot()
    call_command("load_structure", verbosity=0)
    assert snapshot() == before
    assert Network.objects.filter(slug="snb").count() == 1
