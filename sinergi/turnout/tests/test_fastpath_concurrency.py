"""Concurrent single reports on PostgreSQL: the fast path's guarded write against real races.

Threads start together at a barrier (`testkit.builders.race`), each on its own connection in autocommit,
exactly as gunicorn threads behind PgBouncer. SQLite serialises writers, so these run on PostgreSQL
only; the guard itself is tested deterministically in `test_fastpath.py` (a stale snapshot).
"""

import pytest
from django.db import connection
from django.db.models import Sum

from sinergi.core.errors import Conflict
from sinergi.turnout.models import Report, Slot
from sinergi.turnout.services import ReportInput, report_submit_as
from sinergi.turnout.tests.conftest import TPS
from testkit.builders import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")


def submit(election, user, item: ReportInput):
    return lambda: report_submit_as(user=user, election=election, items=[item], channel="api")[0]


def test_one_client_id_from_many_threads_is_stored_once_and_everyone_gets_it_back(election, operator):
    for round_ in range(4):
        item = ReportInput(TPS, "11", 100 + round_, client_id=f"retry-{round_}")
        ok, failed = race([submit(election, operator, item)] * THREADS)
        assert failed == []
        assert sorted(r.duplicate for r in ok) == [False] + [True] * (THREADS - 1)
        assert {(r.version, r.voters, r.client_id) for r in ok} == {(round_ + 1, 100 + round_, f"retry-{round_}")}
        assert Report.objects.filter(client_id=f"retry-{round_}").count() == 1
    slot = Slot.objects.select_related("current").get(tps_id=TPS, checkpoint__code="11")
    assert slot.current is not None
    assert (slot.versions, slot.voters, slot.current.client_id) == (4, 103, "retry-3")


def test_different_client_ids_on_one_slot_get_consecutive_versions(election, operator, operator2):
    users = [operator, operator2]
    jobs = [submit(election, users[i % 2], ReportInput(TPS, "13", 200 + i, client_id=f"p-{i}")) for i in range(THREADS)]
    ok, failed = race(jobs)
    assert failed == []
    assert sorted(r.version for r in ok) == list(range(1, THREADS + 1))
    reports = list(Report.objects.filter(slot__tps_id=TPS, slot__checkpoint__code="13").order_by("version"))
    assert [r.version for r in reports] == list(range(1, THREADS + 1))
    slot = Slot.objects.select_related("current").get(tps_id=TPS, checkpoint__code="13")
    # The slot counts the newest version, whoever won the race to it.
    assert slot.versions == THREADS and slot.current == reports[-1] and slot.voters == reports[-1].voters
    # Two reporters disagreeing is flagged on every version that followed the other's number.
    by_version = {r.version: r for r in reports}
    for version in range(2, THREADS + 1):
        before, now = by_version[version - 1], by_version[version]
        disagrees = before.reporter_id != now.reporter_id and before.voters != now.voters
        assert ("disagreement" in {f["rule"] for f in now.flags}) == disagrees


def test_a_burst_over_every_tps_with_retries_keeps_totals_exact(election, operator):
    slots = list(Slot.objects.filter(checkpoint__code="11").values_list("tps_id", "dpt"))
    expected = {code: dpt // 2 for code, dpt in slots}
    jobs = []
    for code, voters in expected.items():
        item = ReportInput(code, "11", voters, client_id=f"burst:{code}")
        jobs += [submit(election, operator, item)] * 2  # the phone's retry while the first is in flight
    ok, failed = race(jobs)
    assert failed == []
    assert sum(1 for r in ok if not r.duplicate) == len(expected)
    stored = Slot.objects.filter(checkpoint__code="11")
    assert stored.aggregate(v=Sum("voters"))["v"] == sum(expected.values())
    assert set(stored.values_list("versions", flat=True)) == {1}
    assert Report.objects.filter(client_id__startswith="burst:").count() == len(expected)
    assert all(s.current is not None and s.current.voters == s.voters for s in stored.select_related("current"))


def test_one_client_id_for_two_tps_at_once_stores_one_and_refuses_the_other(election, operator):
    for round_ in range(4):
        one = ReportInput(TPS, "09", 50, client_id=f"twice-{round_}")
        other = ReportInput("64.02.06.1001.002", "09", 60, client_id=f"twice-{round_}")
        ok, failed = race([submit(election, operator, one), submit(election, operator, other)] * 3)
        assert len(ok) + len(failed) == 6
        assert all(isinstance(exc, Conflict) for exc in failed), failed
        [stored] = Report.objects.filter(client_id=f"twice-{round_}")
        winner = stored.slot.tps_id
        assert {r.tps_code for r in ok} == {winner} and sum(not r.duplicate for r in ok) == 1
        assert len(failed) == 3  # every request for the other TPS
    assert Slot.objects.filter(checkpoint__code="09", versions__gt=0).aggregate(v=Sum("versions"))["v"] == 4
