"""Two offers accepted at the same moment never over-fulfil a request: two threads, each
with its own PostgreSQL connection and its own transaction, meet at a barrier and accept
at once. The request row lock (select_for_update) makes the second wait for the first
and then see what is still needed; the check constraint stands behind it."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from networks.aid.actions import common
from networks.aid.actions.offers import do_accept_offer
from networks.aid.models import AssistanceRequest, OfferStatus, RequestStatus
from tests.access.aid_cases import make_offer, make_request, make_user
from tests.personas import user

# Commits (transactional_db): runs with the tests that commit, after the others (the
# flush at its end empties the session's reference data; tests/conftest.py sorts
# "worker"-marked tests last).
# Messages are asserted in their English source text (see the `english` fixture).
pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("english")]


def accept_together(offers, acting_user, *, slow=True):
    """Accept each offer in its own thread at the same moment; returns what each got
    (the offer, or the ValidationError)."""
    barrier = threading.Barrier(len(offers))
    results = [None] * len(offers)
    original = common.do_record_entry

    def slow_entry(*args, **kwargs):
        # Hold the lock a little longer, so the other thread surely arrives while the
        # first is inside its transaction.
        time.sleep(0.3)
        return original(*args, **kwargs)

    def run(index, offer):
        try:
            barrier.wait(timeout=10)
            results[index] = do_accept_offer(offer, acting_user=acting_user)
        except ValidationError as error:
            results[index] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            results[index] = error
        finally:
            connection.close()

    if slow:
        common.do_record_entry = slow_entry
    try:
        threads = [threading.Thread(target=run, args=(i, o)) for i, o in enumerate(offers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        common.do_record_entry = original
    return results


@pytest.fixture
def two_offers(committed_reference_data):
    def build(quantity, first, second):
        sandnes = make_user("sandnes_concurrency", "kommune-1108")
        aid = make_request(to=("kommune-4601", "kommune-1108"), quantity=quantity)
        return aid, [
            make_offer(aid, quantity=first),
            make_offer(aid, offerer="kommune-1108", author=sandnes, quantity=second),
        ]

    return build


def test_two_acceptances_that_together_exceed_the_request(two_offers):
    aid, offers = two_offers(10, 6, 6)
    results = accept_together(offers, user("stavanger_manager"))
    errors = [r for r in results if isinstance(r, Exception)]
    accepted = [r for r in results if not isinstance(r, Exception)]
    assert len(accepted) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], ValidationError)
    assert "exceed what is still needed: only 4 stk of 10 stk remain" in str(errors[0])
    aid = AssistanceRequest.objects.get(pk=aid.pk)
    assert aid.fulfilled_quantity == Decimal(6) <= aid.quantity
    assert aid.status == RequestStatus.OPEN
    statuses = sorted(o.status for o in aid.offers.all())
    assert statuses == [OfferStatus.ACCEPTED, OfferStatus.OFFERED]


def test_two_acceptances_that_fit_both_succeed(two_offers):
    aid, offers = two_offers(10, 4, 6)
    results = accept_together(offers, user("stavanger_manager"))
    assert not [r for r in results if isinstance(r, Exception)], results
    aid = AssistanceRequest.objects.get(pk=aid.pk)
    assert aid.fulfilled_quantity == aid.quantity
    assert aid.status == RequestStatus.FULFILLED
