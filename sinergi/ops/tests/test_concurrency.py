"""Several workers ticking at the same moment never run the same job instance twice.

Each thread is a worker with its own database connection, all released together at a barrier
(`testkit.builders.race`). On PostgreSQL the claims really interleave; on SQLite writers serialise, and
the claim must still hold (the unique (job, scheduled_for) insert, the conditional update).
"""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from sinergi.ops import runner
from sinergi.ops.models import JobRun
from sinergi.ops.runner import tick
from sinergi.ops.schedule import Job
from testkit.builders import race

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 6
calls: list[datetime] = []
LOCK = threading.Lock()
NOW = datetime(2024, 11, 27, 1, 0, 7, tzinfo=UTC)


def slow(now: datetime) -> None:
    with LOCK:
        calls.append(now)
    time.sleep(0.2)  # long enough for every other worker to try the same instance meanwhile


JOB = Job("t.slow", "sinergi.ops.tests.test_concurrency.slow", every=timedelta(minutes=1), retry_after=timedelta(0))


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def _tick_as(worker: str):
    def run() -> int:
        return tick(now=NOW, worker=worker, jobs=(JOB,)).claimed

    return run


def _race_ticks() -> list[int]:
    """Every worker ticks at once. SQLite's shared in-memory test database refuses a concurrent
    writer with "table is locked" instead of waiting; the worker loop treats that as any database
    error (log, tick again later), so those workers tick again afterwards, one by one."""
    claimed, failed = race([_tick_as(f"w{i}") for i in range(WORKERS)], timeout=60)
    if connection.vendor == "sqlite":
        assert all("locked" in str(exc) for exc in failed), failed
        claimed += [_tick_as(f"again{i}")() for i in range(len(failed))]
    assert not failed or connection.vendor == "sqlite", failed
    return claimed


def test_concurrent_workers_run_a_new_instance_once():
    claimed = _race_ticks()
    assert sorted(claimed) == [0] * (WORKERS - 1) + [1]
    assert calls == [datetime(2024, 11, 27, 1, 0, tzinfo=UTC)]
    assert JobRun.objects.get(job="t.slow").status == JobRun.Status.DONE


def test_concurrent_workers_take_over_a_retry_once():
    JobRun.objects.create(
        job="t.slow",
        scheduled_for=datetime(2024, 11, 27, 1, 0, tzinfo=UTC),
        status=JobRun.Status.RETRY,
        next_attempt_at=NOW - timedelta(seconds=1),
        started_at=NOW - timedelta(seconds=40),
        error="first attempt failed",
    )
    claimed = _race_ticks()
    assert sum(claimed) == 1 and len(calls) == 1
    run = JobRun.objects.get(job="t.slow")
    assert run.status == JobRun.Status.DONE and run.attempts == 2


def test_the_insert_decides_even_when_both_workers_saw_no_run():
    """The tick's look-up of existing rows is only a shortcut: two workers that both read "no run
    yet" still leave one claim, because the second insert violates the unique constraint."""
    moment = datetime(2024, 11, 27, 1, 0, tzinfo=UTC)
    first = runner._claim_new(JOB, moment, "", NOW, "w1")
    second = runner._claim_new(JOB, moment, "", NOW, "w2")
    assert first is not None and second is None
    assert list(JobRun.objects.values_list("worker", flat=True)) == ["w1"]
