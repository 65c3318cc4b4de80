"""The API against its own schema, driven by schemathesis (an independent client): for a
municipal emergency manager, a State Administrator officer and a KS analyst, every
operation of the live schema (/api/v1/schema/) gets a few generated requests, valid and
invalid, and every answer must be no server error, match the schema's response body and
carry a status code the schema documents.

Bounded and deterministic: a few examples per operation and generation mode, derandomized,
never shrunk (failures are collected, not raised, so Hypothesis has nothing to shrink).
Path parameters are filled with objects the user can see (the first item of the
collection above them), so the requests reach the serializers and actions rather than
stopping at 404; operations are also tried with generated ids.

A few examples rarely hold the values that broke the API before (a NUL byte in a text,
a time-zone offset PostgreSQL cannot hold), so every operation with input also gets
hostile cases: valid ones from schemathesis with a NUL appended to every text and every
date-time given the offset +23:59.

The requests go through the real WSGI stack (werkzeug's client, Django's handler, every
middleware), authenticated with the session the ``login`` fixture produces, and a CSRF
token like a browser's."""

import re
import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from incidents.log import actions as incidents
from networks.structure.models import Organisation
from reporting import actions as reporting
from reporting.models import Submission
from tests.incidents.factories import make_incident, write
from tests.personas import user
from tests.reporting.test_rounds import VALID, vestland_round

pytestmark = pytest.mark.django_db

ROLES = ["bergen_manager", "vestland_officer", "ks_analyst"]
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
MAX_EXAMPLES = 3
HOSTILE_EXAMPLES = 2
#: A CSRF secret of Django's length (32), sent as cookie and header alike.
CSRF_TOKEN = "schemathesisschemathesisschemath"
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
HOSTILE = "hostile"
DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?$"
)


def hostile(value):
    """``value`` with a NUL byte appended to every text and every date-time given an
    offset of +23:59 (Python takes it, PostgreSQL does not)."""
    if isinstance(value, str):
        match = DATE_TIME.match(value)
        return match.group(1) + "+23:59" if match else value + "\x00"
    if isinstance(value, dict):
        return {key: hostile(item) for key, item in value.items()}
    if isinstance(value, list):
        return [hostile(item) for item in value]
    return value


@contextmanager
def one_connection():
    """Django's handler closes the database connection at the end of each request (as a
    server must); in the test transaction it has to stay open, as the test client keeps it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def visible_value(client, template, name, known):
    """The value for path parameter ``name`` of an object the user can see: the first item
    of the collection the template names before it (``/incidents/{uuid}/`` → the first of
    ``/incidents/``), with the parameters before it already filled in."""
    prefix = template.split("{" + name + "}")[0]
    for param, value in known.items():
        prefix = prefix.replace("{" + param + "}", quote(str(value), safe=""))
    if "{" in prefix:
        return None
    response = client.get(prefix)
    if response.status_code != 200 or response["Content-Type"] != "application/json":
        return None
    body = response.json()
    items = body.get("results", []) if isinstance(body, dict) else body
    if not items:
        return None
    first = items[0]
    for key in (name, "id", "uuid", "slug", "number"):
        if key in first and first[key] is not None:
            return first[key]
    return None


def plan_for(client, operation):
    """(path parameters, generation mode, examples) to try: generated ids (mostly 404) and, if
    the user sees such objects, real ones; invalid input wherever there is any besides
    the path (with real ids, so that it reaches the serializers)."""
    known = {}
    for param in operation.path_parameters:
        value = visible_value(client, operation.path, param.name, known)
        if value is None:
            break
        known[param.name] = value
    real = bool(operation.path_parameters) and len(known) == len(operation.path_parameters)
    headers = [p for p in operation.headers if p.name != "Authorization"]
    has_input = bool(list(operation.query) or list(operation.body) or headers)
    # (path parameters, mode, examples): with real ids at hand, generated ones serve only
    # to see the 404.
    plan = [(None, GenerationMode.POSITIVE, 1 if real else MAX_EXAMPLES)]
    if real:
        plan.append((known, GenerationMode.POSITIVE, MAX_EXAMPLES))
    if has_input:
        plan.append((known if real else None, GenerationMode.NEGATIVE, MAX_EXAMPLES))
        plan.append((known if real else None, HOSTILE, HOSTILE_EXAMPLES))
    return plan


def run_schema(role, login):
    """Every operation of the live schema, as ``role``: (operations, cases, failures)."""
    client = login(role)
    auth = {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN},
        "headers": {"X-CSRFToken": CSRF_TOKEN},
    }
    live = client.get("/api/v1/schema/?format=json")
    assert live.status_code == 200
    schema = schemathesis.openapi.from_dict(live.json())
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    # Planned with the test client before the WSGI calls: the test client reconnects the
    # signal that one_connection() holds off.
    plan = {operation.label: plan_for(client, operation) for operation in operations}
    cases, failures = 0, []

    def run(operation, path_parameters, mode, examples):
        generation_mode = GenerationMode.POSITIVE if mode == HOSTILE else mode

        @settings(HYPOTHESIS, max_examples=examples)
        @given(case=operation.as_strategy(generation_mode, path_parameters=path_parameters))
        def check(case):
            nonlocal cases
            cases += 1
            # The schema offers token authentication too; a generated token would only
            # earn 401 before the view. Every case goes with the user's session.
            case.headers.pop("Authorization", None)
            if mode == HOSTILE:
                case.query = hostile(case.query)
                case.body = hostile(case.body)
            # Every case starts from the same data, and a database error in one (the
            # server's connection would be in autocommit) cannot abort the test's
            # transaction for the ones after it.
            savepoint = transaction.savepoint_create()
            try:
                response = case.call(**auth)
            finally:
                transaction.savepoint_rollback(savepoint)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                failures.extend(
                    f"{operation.label} [{mode}] {response.status_code}: {failure.title}\n"
                    f"{failure.message[:600]}\n  {case.as_curl_command()[:400]}"
                    for failure in group.exceptions
                )

        try:
            check()
        except Unsatisfiable:
            # Hypothesis found nothing invalid to send (e.g. only free-text parameters).
            assert mode is GenerationMode.NEGATIVE, operation.label

    with one_connection():
        for operation in operations:
            for path_parameters, mode, examples in plan[operation.label]:
                run(operation, path_parameters, mode, examples)
    return operations, cases, failures


@pytest.fixture
def some_data():
    """Something in the lists, so that the answers' schemas are checked on real rows: a
    Bergen incident with an entry, its correction, a share with the State Administrator,
    a task, and a Vestland reporting round that Bergen has answered."""
    incident = make_incident(owner_slug="kommune-4601", author="bergen_manager")
    entry = write(incident, "Vannstanden stiger", author="bergen_manager")
    write(incident, "Vannstanden stiger ved Bryggen", author="bergen_manager", corrects=entry)
    incidents.do_share(
        acting_user=user("bergen_manager"),
        incident=incident,
        organisation=Organisation.objects.get(slug="statsforvalteren-vestland"),
    )
    incidents.do_create_task(
        incident,
        acting_user=user("bergen_manager"),
        title="Skaff sandsekker",
        source_entry=entry,
        assignee_organisation=Organisation.objects.get(slug="kommune-4601"),
    )
    round_ = vestland_round()
    bergen = Submission.objects.get(round=round_, municipality__slug="kommune-4601")
    reporting.do_submit(
        bergen, expected_version=bergen.version, acting_user=user("bergen_manager"), answers=VALID
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_api_survives_its_own_schema(role, login, some_data):
    started, cpu = time.monotonic(), time.process_time()
    operations, cases, failures = run_schema(role, login)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    # The figures the closing note reports (pytest -s shows them).
    print(
        f"\n{role}: {len(operations)} operations, {cases} cases, "
        f"{len(failures)} failures, {elapsed:.1f} s ({cpu:.1f} s CPU)"
    )
    assert len(operations) > 100
    assert cases > 2 * len(operations)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
