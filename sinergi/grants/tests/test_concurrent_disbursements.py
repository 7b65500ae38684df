"""Concurrent disbursements that together would overspend cannot all succeed.

Real concurrency needs real connections: each thread gets its own PostgreSQL connection (Django
opens one per thread) and they all start at a barrier. SQLite serialises writers anyway
(BEGIN IMMEDIATE), so the test runs on PostgreSQL only, as in CI.
"""

import functools
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from sinergi.core.errors import ValidationFailed
from sinergi.grants.models import Agreement, LedgerEntry
from sinergi.grants.tests.factories import agreement_make, post
from testkit.builders import race as concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")


def race(actor, agreement: Agreement, amounts: list[str], prefix: str = "t") -> tuple[list[str], list[Exception]]:
    def disburse(index: int, amount: str) -> str:
        post(actor, agreement, "disbursement", amount, f"{prefix}-{index}")
        return amount

    return concurrently([functools.partial(disburse, i, a) for i, a in enumerate(amounts)], timeout=60)


def test_two_disbursements_that_together_overspend_cannot_both_succeed(users):
    agreement = agreement_make(users["finance"], amount="1000000000")
    for round_ in range(5):
        ok, failed = race(users["finance"], agreement, ["600000000", "600000000"], prefix=f"round{round_}")
        stored = Agreement.objects.get(pk=agreement.pk)
        assert stored.disbursed == Decimal("600000000")
        assert len(ok) == 1 and len(failed) == 1
        assert isinstance(failed[0], ValidationFailed) and failed[0].code == "overspend"
        # Start the next round from the same state: reverse what went through.
        for entry in LedgerEntry.objects.filter(agreement=agreement, kind="disbursement", reversed_by__isnull=True):
            post(
                users["finance"],
                agreement,
                "correction",
                None,
                f"undo-{entry.seq}",
                reverses_seq=entry.seq,
                note="putaran uji berikutnya",
            )


def test_many_concurrent_disbursements_stop_exactly_at_the_amount(users):
    agreement = agreement_make(users["finance"], amount="1000000000")
    ok, failed = race(users["finance"], agreement, ["200000000"] * 8)
    stored = Agreement.objects.get(pk=agreement.pk)
    assert len(ok) == 5 and len(failed) == 3
    assert all(isinstance(e, ValidationFailed) and e.code == "overspend" for e in failed)
    assert stored.disbursed == Decimal("1000000000")
    assert stored.entry_count == LedgerEntry.objects.filter(agreement=agreement).count() == 5
    assert sorted(LedgerEntry.objects.filter(agreement=agreement).values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_the_same_client_id_raced_is_stored_once(users):
    agreement = agreement_make(users["finance"], amount="1000000000")
    barrier = threading.Barrier(4)
    results: list[bool] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(post(users["finance"], agreement, "disbursement", "100", "same-id").created)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [False, False, False, True]
    assert Agreement.objects.get(pk=agreement.pk).disbursed == Decimal(100)
