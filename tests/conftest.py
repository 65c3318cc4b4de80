"""Test set-up: real PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are
set — portal.settings starts them), the reference structure loaded once per session, and
the personas of tests/personas.py."""

import pytest
from django.core.management import call_command

from networks.structure.models import Municipality
from tests.helpers import login_as
from tests.personas import create_personas, user

TRANSACTIONAL_MARKERS = ("e2e", "worker")


def pytest_collection_modifyitems(items):
    """Tests that commit (browser tests, the real worker) flush the database when they end;
    run them last so the shared session data serves every other test first."""
    items.sort(key=lambda item: any(item.get_closest_marker(m) for m in TRANSACTIONAL_MARKERS))


def load_reference_data():
    """The structure, the demo data the run command loads (council seats as the report
    describes them, Nord-Jæren, demo accounts and rosters), the seeded report forms and
    the test personas."""
    call_command("load_structure", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("load_report_forms", verbosity=0)
    create_personas()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def committed_reference_data(transactional_db):
    """For tests that commit: the flush after an earlier such test emptied the tables."""
    if not Municipality.objects.exists():
        load_reference_data()


@pytest.fixture
def login(client):
    """``login("bergen_manager")`` logs the test client in as that persona, with a session
    that has passed the second factor where the persona has TOTP (as allauth's log-in
    leaves it); ``login("vestland_officer", mfa=False)`` gives a password-only session."""

    def _login(name, *, mfa=True):
        return login_as(client, user(name), mfa=mfa)

    return _login


def pytest_unconfigure(config):
    """Stop the embedded servers if this test run started them (not if a developer's
    ``./samvirke run`` or an earlier command had them running)."""
    from portal import embedded

    if embedded.STARTED:
        from django.db import connections

        connections.close_all()
        embedded.stop(tuple(embedded.STARTED))


@pytest.fixture
def english(settings):
    """Run the test in English: pages and API answers (no language cookie, so the
    default applies) and messages raised outside a request. For tests that assert the
    English source text of messages; that the Norwegian catalogue is complete is
    tests/portal/test_i18n.py's job."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
