"""Access-matrix cases for incidents, logs, attachments, shares, tasks and exports.

Two incidents are built fresh for every case (inside the test's transaction):

* PRIVATE — Stavanger's, shared with nobody: only Stavanger sees it.
* SHARED — Bergen's, shared with the SNB network: Bergen, the other SNB cities
  (Stavanger, Trondheim) and, going in line, the Vestland office see it; Drammen (not in
  SNB), Rogaland's office, DSB, KS and users without roles do not.

Only the owner's emergency managers and crisis staff write; readers and officers who see
an incident get 403 when they try.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.log import actions
from incidents.log.models import EntryKind, IncidentType
from networks.structure.models import Network, Organisation
from tests.personas import user

PRIVATE_AUDIENCE = {"stavanger_manager"}
PRIVATE_WRITERS = {"stavanger_manager"}
SHARED_AUDIENCE = {
    "bergen_manager", "bergen_reader", "stavanger_manager", "snb_coordinator",
    "vestland_officer",
}  # fmt: skip
SHARED_WRITERS = {"bergen_manager"}
#: The Øst office's own crisis log, shared with nobody: only the office sees it (its
#: crisis staff write); another region's officers get 404.
REGIONAL_AUDIENCE = {"oest_officer"}
REGIONAL_WRITERS = {"oest_officer"}
#: Who sees who an incident is shared with: its owner and the region's office.
SHARED_SHARES_AUDIENCE = {"bergen_manager", "bergen_reader", "vestland_officer"}


def _build(owner_slug, author, title, share_network=None, frame=None):
    from django.utils import timezone

    acting = user(author)
    incident = actions.do_create_incident(
        owner=Organisation.objects.get(slug=owner_slug),
        acting_user=acting,
        title=title,
        type=IncidentType.FLOOD,
        started_at=timezone.now(),
        frame=frame,
    )
    entry, _ = actions.do_write_entry(
        incident,
        acting_user=acting,
        kind=EntryKind.ACTION,
        text=f"{title}: tiltak",
        attachments=[SimpleUploadedFile("notat.txt", b"Vannstand 3,1 m", "text/plain")],
    )
    task = actions.do_create_task(
        incident,
        acting_user=acting,
        title="Skaff sandsekker",
        source_entry=entry,
        assignee_organisation=incident.owner,
    )
    share = None
    if share_network:
        share = actions.do_share(
            acting_user=acting,
            incident=incident,
            network=Network.objects.get(slug=share_network),
        )
    return {
        "incident": incident,
        "entry": entry,
        "task": task,
        "share": share,
        "attachment": entry.attachments.get(),
    }


def matrix_incidents(frame=None):
    return {
        "private": (
            _build("kommune-1103", "stavanger_manager", "Privat flom", frame=frame),
            PRIVATE_AUDIENCE,
            PRIVATE_WRITERS,
        ),
        "shared": (
            _build("kommune-4601", "bergen_manager", "Delt flom", "snb", frame=frame),
            SHARED_AUDIENCE,
            SHARED_WRITERS,
        ),
        "regional": (
            _build(
                "statsforvalteren-ostfold-buskerud-oslo-og-akershus",
                "oest_officer",
                "Regional stab",
                frame=frame,
            ),
            REGIONAL_AUDIENCE,
            REGIONAL_WRITERS,
        ),
    }


TASK_AUDIENCE = {
    "private": PRIVATE_AUDIENCE,
    "shared": {"bergen_manager", "bergen_reader"},
    "regional": REGIONAL_AUDIENCE,
}


def incident_cases(
    Case,
    *,
    obj="incident",
    kwarg="uuid",
    method="get",
    ok=(200,),
    writers_only=False,
    api=False,
    query="",
    audiences=None,
    with_entry=False,
):
    """One case per matrix incident: the route's object of that incident. ``with_entry``
    adds the entry's uuid as ``entry_uuid`` (log entry pages)."""

    def build():
        cases = []
        for name, (objects, audience, writers) in matrix_incidents().items():
            if audiences is not None:
                audience = audiences[name]
            kwargs = {kwarg: objects[obj].uuid}
            if with_entry:
                kwargs["entry_uuid"] = objects["entry"].uuid
            cases.append(
                Case(
                    kwargs=kwargs,
                    visible_to=audience,
                    allowed=writers if writers_only else None,
                    method=method,
                    ok=ok,
                    api=api,
                    query=query,
                )
            )
        return cases

    return build


def list_cases(Case, obj, *, shares=False):
    """A list route must contain the object for its audience and only for them."""

    def build():
        cases = []
        for name, (objects, audience, _writers) in matrix_incidents().items():
            if objects[obj] is None:
                continue
            who = audience
            if shares:
                who = SHARED_SHARES_AUDIENCE if name == "shared" else PRIVATE_AUDIENCE
            if obj == "task":
                who = TASK_AUDIENCE[name]
            cases.append(
                Case(kwargs={}, api=True, list_contains=str(objects[obj].uuid), visible_to=who)
            )
        return cases

    return build


def page_contains(Case, *, query=""):
    """A page every signed-in user may open, that shows each matrix incident's title to
    its audience and to nobody else."""

    def build():
        return [
            Case(kwargs={}, query=query, contains=objects["incident"].title, visible_to=audience)
            for objects, audience, _writers in matrix_incidents().values()
        ]

    return build


#: Personas who may open an incident somewhere (emergency manager or crisis staff).
#: Who may open an incident for an organisation of theirs (the Øst office's crisis staff too).
WRITERS_ANYWHERE = {
    "bergen_manager", "stavanger_manager", "drammen_staff", "snb_coordinator", "hole_manager",
    "oest_officer",
    "vest_police_liaison",  # an agency's liaison writes the agency's incidents
}  # fmt: skip


# --- crisis frames ---------------------------------------------------------------------

#: Who may create crisis frames: national analysts (national frames and exercises) and
#: State Administrator officers (exercise frames for their office).
FRAME_CREATORS = {"dsb_analyst", "vestland_officer", "rogaland_officer", "oest_officer"}


def matrix_frames():
    """A national frame held by DSB and an exercise frame held by the Vestland office,
    each created through the action; only the owner's analysts/officers change them."""
    from django.utils import timezone

    national = actions.do_create_frame(
        owner=Organisation.objects.get(slug="dsb"),
        acting_user=user("dsb_analyst"),
        title="Matriseuvær",
        type=IncidentType.EXTREME_WEATHER,
        is_exercise=False,
        started_at=timezone.now(),
    )
    exercise = actions.do_create_frame(
        owner=Organisation.objects.get(slug="statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        title="Matriseøvelse",
        type=IncidentType.POWER_OUTAGE,
        is_exercise=True,
        started_at=timezone.now(),
    )
    return {"national": (national, {"dsb_analyst"}), "exercise": (exercise, {"vestland_officer"})}


def frame_cases(Case, *, method="get", ok=(200,), api=False, changers_only=False):
    """Frames are visible to every signed-in user; with ``changers_only`` only the
    owner organisation's analysts/officers may act (others 403)."""

    def build():
        return [
            Case(
                kwargs={"uuid": frame.uuid},
                allowed=changers if changers_only else None,
                method=method,
                ok=ok,
                api=api,
            )
            for frame, changers in matrix_frames().values()
        ]

    return build


def frame_detail_cases(Case):
    """The frame page lists the matrix incidents filed under it, each to its audience
    and to nobody else (outsiders see the frame, not the private incident)."""

    def build():
        frame, _changers = matrix_frames()["national"]
        return [Case(kwargs={"uuid": frame.uuid})] + [
            Case(kwargs={"uuid": frame.uuid}, contains=objects["incident"].title,
                 visible_to=audience)
            for objects, audience, _writers in matrix_incidents(frame=frame).values()
        ]  # fmt: skip

    return build
