"""The log is evidence: append-only in PostgreSQL, corrected by new entries, shared by
share records that open exactly what they name."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from incidents.log import actions
from incidents.log.models import Correction, Incident, LogEntry
from networks.structure.models import Network, Organisation
from tests.incidents.factories import make_incident, write
from tests.personas import user

pytestmark = pytest.mark.django_db


def visible_incidents(name):
    return set(Incident.objects.visible_to(user(name)).values_list("title", flat=True))


def visible_entries(name, incident):
    return set(
        LogEntry.objects.visible_to(user(name))
        .filter(incident=incident)
        .values_list("text", flat=True)
    )


# --- append-only, in the database ------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE incidents_logentry SET text = 'endret' WHERE id = %s",
        "DELETE FROM incidents_logentry WHERE id = %s",
    ],
)
def test_database_refuses_to_change_or_delete_an_entry(sql):
    entry = write(make_incident())
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.text == "Vannstanden stiger"


def test_orm_save_and_delete_are_refused_too():
    entry = write(make_incident())
    entry.text = "endret"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_attachments_are_append_only():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notat.txt", "Målt vannstand 3,2 m".encode(), "text/plain")
    entry = write(make_incident(), attachments=[upload])
    attachment = entry.attachments.get()
    assert attachment.size == len("Målt vannstand 3,2 m".encode())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM incidents_attachment WHERE id = %s", [attachment.pk])


# --- corrections -----------------------------------------------------------------------


def test_a_correction_is_a_new_entry_pointing_at_the_old():
    incident = make_incident()
    wrong = write(incident, "Evakuering av 40 boliger i Storhaug")
    fixed = write(incident, "Evakuering av 14 boliger i Storhaug", corrects=wrong)
    assert fixed.correction_type == Correction.CORRECTION
    assert list(wrong.corrections.all()) == [fixed]
    wrong.refresh_from_db()
    assert wrong.text == "Evakuering av 40 boliger i Storhaug"  # kept as written
    retraction = write(
        incident, "Feil kommune", corrects=fixed, correction_type=Correction.RETRACTION
    )
    assert retraction.corrects == fixed


def test_cannot_correct_an_entry_of_another_incident():
    entry = write(make_incident(title="A"))
    with pytest.raises(ValidationError) as error:
        write(make_incident(title="B"), "retting", corrects=entry)
    assert "corrects" in error.value.message_dict


# --- bad input: nothing half-saved -----------------------------------------------------


def test_empty_entry_is_refused_in_norwegian():
    incident = make_incident()
    before = LogEntry.objects.count()
    with pytest.raises(ValidationError) as error, translation.override("nb"):
        write(incident, "   ")
    assert "tom" in error.value.message_dict["text"][0]
    assert LogEntry.objects.count() == before


def test_bad_attachment_saves_neither_entry_nor_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = make_incident()
    before = LogEntry.objects.count()
    fake_pdf = SimpleUploadedFile("rapport.pdf", b"not a pdf at all", "application/pdf")
    exe = SimpleUploadedFile("virus.exe", b"MZ....", "application/octet-stream")
    with pytest.raises(ValidationError) as error:
        write(incident, "Se vedlegg", attachments=[fake_pdf, exe])
    assert len(error.value.message_dict["attachments"]) == 2
    assert LogEntry.objects.count() == before


def test_exempt_entry_needs_a_legal_basis():
    with pytest.raises(ValidationError) as error:
        write(make_incident(), "Navn på evakuerte", exempt=True)
    assert "exempt_basis" in error.value.message_dict


def test_readers_and_outsiders_cannot_write():
    incident = make_incident()
    for name in ("bergen_manager", "rogaland_officer"):
        with pytest.raises(PermissionDenied):
            write(incident, "forsøk", author=name)


# --- idempotency -----------------------------------------------------------------------


def test_the_same_idempotency_key_makes_one_entry():
    incident = make_incident()
    first, created = actions.do_write_entry(
        incident,
        acting_user=user("stavanger_manager"),
        kind="information",
        text="Melding fra NVE",
        idempotency_key="crim-123",
    )
    again, created_again = actions.do_write_entry(
        incident,
        acting_user=user("stavanger_manager"),
        kind="information",
        text="Melding fra NVE",
        idempotency_key="crim-123",
    )
    assert created and not created_again and first == again
    assert incident.entries.count() == 1


# --- sharing opens exactly what it names -------------------------------------------------


def share(**kwargs):
    return actions.do_share(acting_user=user("stavanger_manager"), **kwargs)


def test_private_by_default():
    incident = make_incident(title="Privat hendelse")
    write(incident, "intern vurdering")
    assert "Privat hendelse" in visible_incidents("stavanger_manager")
    for name in (
        "bergen_manager",
        "rogaland_officer",
        "vestland_officer",
        "dsb_analyst",
        "ks_analyst",
        "nobody",
    ):
        assert "Privat hendelse" not in visible_incidents(name), name


def test_sharing_with_a_neighbour_goes_in_line_with_the_office():
    incident = make_incident(title="Delt med Sandnes")
    write(incident, "felles vurdering")
    share(incident=incident, organisation=Organisation.objects.get(slug="kommune-1108"))
    sandnes = get_user_model().objects.get(email="sandnes.beredskap@demo.samvirke.no")
    assert Incident.objects.visible_to(sandnes).filter(pk=incident.pk).exists()
    assert "Delt med Sandnes" in visible_incidents("rogaland_officer")  # go in line
    for name in ("bergen_manager", "vestland_officer", "dsb_analyst"):
        assert "Delt med Sandnes" not in visible_incidents(name), name


def test_sharing_with_a_network_reaches_current_members_only():
    incident = make_incident(title="Delt med SNB")
    share(incident=incident, network=Network.objects.get(slug="snb"))
    assert "Delt med SNB" in visible_incidents("bergen_manager")
    assert "Delt med SNB" in visible_incidents("snb_coordinator")
    assert "Delt med SNB" not in visible_incidents("drammen_staff")  # not in SNB
    assert "Delt med SNB" in visible_incidents("rogaland_officer")
    assert "Delt med SNB" not in visible_incidents("vestland_officer")


def test_sharing_with_the_office():
    incident = make_incident(title="Til Statsforvalteren")
    share(
        incident=incident, organisation=Organisation.objects.get(slug="statsforvalteren-rogaland")
    )
    assert "Til Statsforvalteren" in visible_incidents("rogaland_officer")
    assert "Til Statsforvalteren" not in visible_incidents("bergen_manager")


def test_sharing_one_entry_opens_that_entry_and_its_corrections_only():
    incident = make_incident(title="Ett innlegg delt")
    shared = write(incident, "Vi trenger aggregater")
    write(incident, "Intern: budsjett")
    share(entry=shared, organisation=Organisation.objects.get(slug="kommune-4601"))
    correction = write(incident, "Vi trenger fire aggregater", corrects=shared)
    assert visible_entries("bergen_manager", incident) == {shared.text, correction.text}
    assert "Ett innlegg delt" in visible_incidents("bergen_manager")
    assert visible_entries("rogaland_officer", incident) == {shared.text, correction.text}
    assert visible_entries("stavanger_manager", incident) == {
        shared.text,
        correction.text,
        "Intern: budsjett",
    }
    assert visible_entries("vestland_officer", incident) == set()


def test_exercises_are_kept_out_of_real_statistics():
    make_incident(title="Øvelse", is_exercise=True)
    make_incident(title="Ekte")
    real = set(Incident.objects.real().values_list("title", flat=True))
    assert "Ekte" in real and "Øvelse" not in real
