"""Like with like at two sizes: the picture (with its peer comparison) and the trend page
and API run as many queries for 8 municipalities as for 357, and for a series of two
rounds as for five; and the aggregation rules on a small form (a weighted mean of a
percentage, none for a field that is not put together, the seed forms say theirs)."""

import copy
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from incidents.log.models import CrisisFrame
from networks.structure.models import Municipality, Office
from reporting import actions
from reporting.compilation import compute_aggregates, number_line
from reporting.models import ReportForm
from reporting.seed_forms import COVID_HEALTH_FORM
from reporting.validation import field_aggregate, iter_fields
from tests.helpers import api, count_queries, html, org
from tests.personas import user
from tests.reporting.dashboard_helpers import (
    BERGEN,
    STAVANGER,
    VOSS,
    answers,
    national_round,
    snb_round,
    submit,
    vestland_round,
)

pytestmark = pytest.mark.django_db


def publish(round_, *, persona, office=None):
    acting = user(persona)
    compilation = actions.do_start_compilation(round_, acting_user=acting, office=office)
    compilation = actions.do_save_assessment(
        compilation, acting_user=acting, assessment="Vurdering.", expected_version=1
    )
    return actions.do_publish_compilation(compilation, acting_user=acting)


def test_picture_with_peers_constant_queries_for_8_or_357_municipalities(login):
    small, large = snb_round(), national_round()
    pictures = []
    for round_ in (small, large):
        submit(round_, BERGEN, answers(evakuerte=30, fravaer="7.5"))
        submit(round_, STAVANGER, answers(evakuerte=12, fravaer="4"))
        pictures.append(publish(round_, persona="dsb_analyst"))
    client = login("bergen_manager")
    urls = [reverse("reporting:picture", args=[p.uuid]) for p in pictures]
    for url in urls:  # warm up; the first visit records who saw the picture
        count_queries(client, url)
    (few, small_page), (many, large_page) = (count_queries(client, u) for u in urls)
    assert few == many, (few, many)
    assert 'id="peers"' in html(large_page)
    token = api("bergen_manager")
    endpoints = [reverse("api:compilation-peers", kwargs={"uuid": p.uuid}) for p in pictures]
    count_queries(token, endpoints[0])
    assert count_queries(token, endpoints[0])[0] == count_queries(token, endpoints[1])[0]


def test_trend_constant_queries_for_two_or_five_rounds(login):
    frame = CrisisFrame.objects.create(
        title="Flom i vest",
        type="flood",
        started_at=timezone.now(),
        owner=org("statsforvalteren-vestland"),
    )
    vestland = Office.objects.get(slug="vestland")
    lasts = []
    for length in (2, 5):
        last = None
        for day in range(length):
            round_ = vestland_round(title=f"Flom {length}-{day}", frame=frame)
            submit(round_, BERGEN, answers(evakuerte=10 + day))
            submit(round_, VOSS, answers(evakuerte=2 * day))
            last = publish(round_, persona="vestland_officer", office=vestland)
        lasts.append(last)
        # a new frame for the longer series
        frame = CrisisFrame.objects.create(
            title="Flom i vest 2",
            type="flood",
            started_at=timezone.now(),
            owner=org("statsforvalteren-vestland"),
        )
    client = login("bergen_manager")
    urls = [reverse("reporting:picture-trend", args=[c.uuid]) for c in lasts]
    count_queries(client, urls[0])
    (short, short_page), (long, long_page) = (count_queries(client, u) for u in urls)
    assert short == long, (short, long)
    text = html(long_page)
    assert text.count('<tr data-round="') == 2 * 5  # two fields (evakuerte, fravær)
    token = api("bergen_manager")
    endpoints = [reverse("api:compilation-trend", kwargs={"uuid": c.uuid}) for c in lasts]
    count_queries(token, endpoints[0])
    a, b = (count_queries(token, e)[0] for e in endpoints)
    assert a == b
    data = count_queries(token, endpoints[1])[1].json()
    bergen = Municipality.objects.get(organisation__slug=BERGEN)
    own = [Decimal(p["own"]) for p in data["fields"][0]["points"]]
    assert own == [
        (Decimal(10 + d) * 1000 / bergen.population).quantize(Decimal("0.01")) for d in range(5)
    ]


def test_weighted_mean_median_and_none():
    definition = {
        "sections": [
            {
                "key": "s",
                "title": "S",
                "fields": [
                    {"key": "andel", "type": "decimal", "label": "Andel", "unit": "%"},
                    {"key": "tid", "type": "decimal", "label": "Tid", "unit": "timer"},
                    {"key": "kode", "type": "integer", "label": "Kode", "aggregate": "none"},
                ],
            }
        ]
    }
    form = actions.do_create_form(
        owner=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        title="Andeler",
        track="preparedness",
        kind="short",
        definition=definition,
    )
    round_ = actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=form,
        title="Andeler i Vestland",
        deadline=timezone.now() + timezone.timedelta(hours=2),
        offices=[Office.objects.get(slug="vestland")],
    )
    submit(round_, BERGEN, {"andel": "90", "tid": "10", "kode": "4"})
    submit(round_, VOSS, {"andel": "50", "tid": "30", "kode": "7"})
    result = compute_aggregates(round_, Office.objects.get(slug="vestland"))["numbers"]
    bergen, voss = (
        Municipality.objects.get(organisation__slug=s).population for s in (BERGEN, VOSS)
    )
    mean = ((Decimal(90) * bergen + Decimal(50) * voss) / (bergen + voss)).quantize(Decimal("0.01"))
    assert result["andel"]["aggregate"] == "weighted_mean"
    assert Decimal(result["andel"]["value"]) == mean and result["andel"]["sum"] is None
    assert result["tid"]["aggregate"] == "median" and Decimal(result["tid"]["value"]) == 20
    assert result["tid"]["sum"] is None and result["tid"]["per_1000"] is None
    assert result["kode"]["value"] is None and result["kode"]["sum"] is None
    assert result["kode"]["count"] == 2


def test_seed_forms_name_their_aggregates_and_the_update_path_publishes_them():
    aggregates = {f["key"]: f.get("aggregate") for f in iter_fields(COVID_HEALTH_FORM)}
    assert aggregates["vaksinedekning"] == "weighted_mean"
    assert aggregates["fravaer_helse"] == "weighted_mean"
    assert aggregates["svartid"] == "median"
    assert aggregates["nye_tilfeller"] == "sum"
    assert all(
        field_aggregate(f) == f["aggregate"]
        for f in iter_fields(COVID_HEALTH_FORM)
        if f["type"] in ("integer", "decimal")
    )
    # a database seeded before the aggregates were named: the seed command's update path
    # publishes them as a new version
    form = ReportForm.objects.get(owner__slug="helsedirektoratet", title__startswith="Covid-19")
    old = copy.deepcopy(COVID_HEALTH_FORM)
    for spec in iter_fields(old):
        spec.pop("aggregate", None)
    actions.do_publish_form_version(form, acting_user=None, definition=old)
    before = form.versions.order_by("-number").first()
    call_command("load_report_forms", stdout=StringIO())
    newest = form.versions.order_by("-number").first()
    assert newest.number == before.number + 1 and newest.definition == COVID_HEALTH_FORM


def test_a_picture_frozen_before_the_aggregates_shows_no_sum_of_a_percentage():
    """A published document of before issue 13 has a sum for every number: the page takes
    the aggregate from the form and shows a sum or a median only where that is it."""
    specs = {f["key"]: f for f in iter_fields(COVID_HEALTH_FORM)}
    old = {"count": 43, "sum": "3909.0", "median": "91.2", "min": "86.6", "max": "95.4"}
    coverage = number_line("vaksinedekning", {"label": "Vaksinedekning, voksne", **old},
                           specs["vaksinedekning"])  # fmt: skip
    assert coverage["aggregate"] == "weighted_mean" and coverage["value"] is None
    answer_time = number_line("svartid", {"label": "Svartid", **old}, specs["svartid"])
    assert answer_time["aggregate"] == "median" and answer_time["value"] == Decimal("91.2")
    cases = number_line("nye_tilfeller", {"label": "Nye", **old}, specs["nye_tilfeller"])
    assert cases["value"] == Decimal("3909.0") and cases["per_1000"] is None
