"""``manage.py load_demo_incidents``: idempotent, realistic logs, the sharing the domain
describes (a municipality shares with its office, a neighbour, a network; the office sees
what goes to the neighbours), exercises kept apart, and the log never edited."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from incidents.log.models import Correction, CrisisFrame, EntryKind, Incident, LogEntry, Share, Task
from networks.structure.models import Organisation
from portal.models import RoleAssignment
from portal.roles import Role
from tests.personas import user

pytestmark = pytest.mark.django_db

HANS = "Ekstremværet Hans – flom i Drammenselva"
HANS_EAST = "Ekstremværet Hans – Øst"
STAVANGER = "Koronapandemien i Stavanger"
BERGEN_COVID = "Koronapandemien i Bergen"
BERGEN_EXERCISE = "ØVELSE – langvarig strømbrudd i Bergen"
TRACKED = ("CrisisFrame", "Incident", "Share", "Task")  # pghistory event models


def load():
    out = StringIO()
    call_command("load_demo_incidents", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return load()


def snapshot():
    return {
        "frames": CrisisFrame.objects.count(),
        "incidents": Incident.objects.count(),
        "entries": sorted(
            LogEntry.objects.values_list(
                "id", "text", "occurred_at", "recorded_at", "corrects_id", "exempt"
            )
        ),
        "shares": Share.objects.count(),
        "tasks": Task.objects.count(),
        "history": [apps.get_model("incidents", f"{m}Event").objects.count() for m in TRACKED],
    }


def throwaway(username, org_slug, role):
    person = get_user_model().objects.create(username=username, email=f"{username}@x.invalid")
    RoleAssignment.objects.create(
        user=person, organisation=Organisation.objects.get(slug=org_slug), role=role
    )
    return person


def titles(person):
    return set(Incident.objects.visible_to(person).values_list("title", flat=True))


# --- idempotent, and nothing edited --------------------------------------------------


def test_second_run_writes_nothing_and_never_touches_the_log(demo):
    first = re.search(r"(\d+) created", demo)
    assert first and int(first.group(1)) > 90, demo
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        output = load()
    assert output.startswith("Demo incidents: 0 created"), output
    assert snapshot() == before
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    # The append-only trigger is in place on the demo entries, and held.
    entry = LogEntry.objects.filter(idempotency_key="demo:hans:drammen:03").get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE incidents_logentry SET text = 'x' WHERE id = %s", [entry.pk])


def test_refuses_production_and_needs_the_demo_accounts():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        load()
    get_user_model().objects.filter(email="drammen.krisestab@demo.samvirke.no").update(
        email="drammen.flyttet@demo.samvirke.no"
    )
    with pytest.raises(CommandError, match="load_demo"):
        load()


# --- what the logs hold --------------------------------------------------------------


def test_hans_log_reads_like_a_crisis_log(demo):
    incident = Incident.objects.get(owner__slug="kommune-3301", title=HANS)
    assert incident.frame.title == "Ekstremværet Hans"
    assert incident.frame.owner.slug == "dsb"
    assert incident.status == "closed" and not incident.is_exercise
    assert {m.number for m in incident.affected_municipalities.all()} >= {"3301", "3312"}
    entries = list(incident.entries.select_related("author"))
    assert 15 <= len(entries) <= 30
    assert {e.kind for e in entries} == set(EntryKind.values)
    assert {e.author.email for e in entries} == {"drammen.krisestab@demo.samvirke.no"}
    assert len({e.occurred_at.date() for e in entries}) >= 4  # spread over the days
    corrections = [e for e in entries if e.corrects_id]
    assert sorted(e.correction_type for e in corrections) == [
        Correction.CORRECTION,
        Correction.RETRACTION,
    ]
    exempt = [e for e in entries if e.exempt]
    assert len(exempt) == 1 and "§ 13" in exempt[0].exempt_basis
    assert Task.objects.filter(incident=incident, source_entry__kind=EntryKind.ACTION).exists()
    # The status changes are in the incident's history.
    history = apps.get_model("incidents", "IncidentEvent").objects.filter(pgh_obj=incident)
    assert list(history.order_by("pgh_id").values_list("status", flat=True)) == [
        "active",
        "monitoring",
        "closed",
    ]


def test_covid_logs_in_three_cities_and_the_exercise_is_flagged(demo):
    covid = CrisisFrame.objects.get(title="Covid-19")
    assert set(covid.incidents.values_list("owner__slug", flat=True)) == {
        "kommune-4601",
        "kommune-1103",
        "kommune-5001",
    }
    for incident in covid.incidents.all():
        assert 10 <= incident.entries.count() <= 30
    frame = CrisisFrame.objects.get(title__startswith="Øvelse Vestland 2026")
    assert frame.is_exercise and frame.owner.slug == "statsforvalteren-vestland"
    exercise = Incident.objects.get(title=BERGEN_EXERCISE)
    assert exercise.is_exercise and exercise.frame == frame
    assert not Incident.objects.real().filter(title=BERGEN_EXERCISE).exists()
    assert Incident.objects.real().filter(title=HANS).exists()


# --- who sees what -------------------------------------------------------------------


def test_the_office_sees_drammens_log_and_lier_only_what_was_shared_with_it(demo):
    hans = Incident.objects.get(title=HANS)
    office = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
    officer = throwaway("demo-test-officer", office, Role.OFFICER)
    assert titles(officer) == {HANS, HANS_EAST}  # Drammen's shared log and its own
    assert LogEntry.objects.visible_to(officer).filter(incident=hans).count() == (
        hans.entries.count()
    )
    lier = throwaway("demo-test-lier", "kommune-3312", Role.READER)
    assert titles(lier) == {HANS, HANS_EAST}  # the office shared its log with the region
    [shared] = LogEntry.objects.visible_to(lier).filter(incident=hans)
    assert "Til Lier kommune" in shared.text and shared.incident == hans
    # Another office's officer and another city see nothing of Drammen's.
    assert HANS not in titles(user("vestland_officer"))
    assert HANS not in titles(user("stavanger_manager"))
    assert not LogEntry.objects.visible_to(user("stavanger_manager")).filter(incident=hans)


def test_stavanger_shares_with_nord_jaeren_and_bergen_with_its_office(demo):
    sandnes = get_user_model().objects.get(email="sandnes.beredskap@demo.samvirke.no")
    assert STAVANGER in titles(sandnes)
    assert STAVANGER in titles(user("rogaland_officer"))  # go in line
    assert STAVANGER not in titles(user("bergen_manager"))
    vestland = user("vestland_officer")
    assert titles(vestland) >= {BERGEN_COVID, BERGEN_EXERCISE}
    bergen_covid = LogEntry.objects.visible_to(vestland).filter(incident__title=BERGEN_COVID)
    assert bergen_covid.count() == 1  # one shared entry, not the whole log
    assert not titles(user("ks_analyst")) and not titles(user("dsb_analyst"))


def test_the_east_offices_own_log_during_hans_answers_drammen(demo):
    regional = Incident.objects.get(title=HANS_EAST)
    assert regional.owner.slug == "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
    assert regional.frame == Incident.objects.get(title=HANS).frame
    entries = list(regional.entries.all())
    assert 15 <= len(entries) <= 30
    answers = [e for e in entries if e.responds_to_id]
    assert len(answers) >= 3
    assert {a.responds_to.incident.title for a in answers} == {HANS}
    assert any(e.corrects_id for e in entries)
    # shared with every municipality of the region: Drammen and Hole read it, Bergen not
    drammen = throwaway("demo-test-drammen", "kommune-3301", Role.READER)
    assert HANS_EAST in titles(drammen)
    assert HANS_EAST not in titles(user("bergen_manager"))
