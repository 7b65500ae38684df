"""The scheduler tick on a controlled clock: each instance once, retries, alarms, lost workers, downtime."""

import logging
from datetime import UTC, datetime, time, timedelta

import pytest

from sinergi.accounts.models import Notification
from sinergi.accounts.roles import Role
from sinergi.ops.models import JobRun
from sinergi.ops.runner import tick
from sinergi.ops.schedule import Job, job_named
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

calls: list[tuple[str, datetime]] = []
BROKEN = {"count": 0}


def record(now: datetime) -> int:
    calls.append(("record", now))
    return len(calls)


def flaky(now: datetime) -> str:
    """Fails while BROKEN["count"] > 0, one failure per call."""
    calls.append(("flaky", now))
    if BROKEN["count"] > 0:
        BROKEN["count"] -= 1
        raise RuntimeError("gateway timed out")
    return "ok"


MINUTELY = Job("t.record", "sinergi.ops.tests.test_runner.record", every=timedelta(minutes=1))
FLAKY = Job(
    "t.flaky",
    "sinergi.ops.tests.test_runner.flaky",
    every=timedelta(minutes=5),
    retries=2,
    retry_after=timedelta(seconds=30),
)


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()
    BROKEN["count"] = 0


def at(hour: int, minute: int = 0, second: int = 0, day: int = 27) -> datetime:
    return datetime(2024, 11, day, hour, minute, second, tzinfo=UTC)


def test_a_due_instance_runs_once_and_a_not_due_one_waits():
    assert tick(now=at(1, 0, 5), jobs=(MINUTELY,)).done == 1
    assert tick(now=at(1, 0, 35), jobs=(MINUTELY,)).claimed == 0  # same minute: nothing due
    assert tick(now=at(1, 1, 0), jobs=(MINUTELY,)).done == 1
    assert calls == [("record", at(1, 0)), ("record", at(1, 1))]  # the job sees the moment it was due for
    run = JobRun.objects.get(job="t.record", scheduled_for=at(1, 1))
    assert run.status == JobRun.Status.DONE and run.result == "2" and run.attempts == 1


def test_missed_runs_after_downtime_collapse_to_one():
    tick(now=at(1, 0), jobs=(MINUTELY,))
    tick(now=at(4, 0, 30), jobs=(MINUTELY,))  # the worker was down for three hours
    assert [moment for _, moment in calls] == [at(1, 0), at(4, 0)]
    assert JobRun.objects.filter(job="t.record").count() == 2


def test_a_failing_job_is_retried_then_alarmed_and_the_next_instance_still_runs(world, caplog):
    admin = user_make("admin.nasional", Role.ADMIN, "ID", "kesbangpol-kukar")
    user_make("kesbangpol.kukar2", Role.COORDINATOR, "64.02", "kesbangpol-kukar")
    BROKEN["count"] = 3  # the first attempt and both retries fail
    with caplog.at_level(logging.ERROR, logger="sinergi.ops"):
        assert tick(now=at(1, 0), jobs=(FLAKY,)).failed == 1
        run = JobRun.objects.get(job="t.flaky")
        assert run.status == JobRun.Status.RETRY and run.next_attempt_at == at(1, 0, 30)
        assert tick(now=at(1, 0, 20), jobs=(FLAKY,)).claimed == 0  # the retry is not due yet
        tick(now=at(1, 0, 30), jobs=(FLAKY,))
        tick(now=at(1, 1, 0), jobs=(FLAKY,))
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and run.attempts == 3 and run.alarmed
    assert "RuntimeError: gateway timed out" in run.error
    assert [r.levelname for r in caplog.records] == ["ERROR"] * 4  # three attempts and the final failure
    assert "t.flaky" in caplog.records[-1].getMessage()
    alarm = Notification.objects.get(source="ops")
    assert alarm.user == admin and "t.flaky" in alarm.title and "gateway timed out" in alarm.body
    assert tick(now=at(1, 5), jobs=(FLAKY,)).done == 1  # the next instance runs on schedule
    assert JobRun.objects.get(job="t.flaky", scheduled_for=at(1, 5)).status == JobRun.Status.DONE


def test_one_alarm_per_failing_streak(world):
    user_make("admin.nasional", Role.ADMIN, "ID", "kesbangpol-kukar")
    once = Job("t.once", "sinergi.ops.tests.test_runner.flaky", every=timedelta(minutes=5), retries=0)
    BROKEN["count"] = 2
    tick(now=at(1, 0), jobs=(once,))
    tick(now=at(1, 5), jobs=(once,))  # fails again: the admins already know
    tick(now=at(1, 10), jobs=(once,))  # recovers
    BROKEN["count"] = 1
    tick(now=at(1, 15), jobs=(once,))  # a new streak: alarm again
    statuses = list(JobRun.objects.filter(job="t.once").order_by("scheduled_for").values_list("status", "alarmed"))
    assert statuses == [("failed", True), ("failed", False), ("done", False), ("failed", True)]
    assert Notification.objects.filter(source="ops").count() == 2


def test_a_run_whose_worker_died_is_taken_over_after_its_lease():
    short = Job(
        "t.lease", "sinergi.ops.tests.test_runner.record", every=timedelta(hours=1), lease=timedelta(minutes=10)
    )
    JobRun.objects.create(job="t.lease", scheduled_for=at(1), worker="dead", started_at=at(1))
    assert tick(now=at(1, 5), jobs=(short,)).claimed == 0  # still within its lease: maybe just slow
    assert tick(now=at(1, 11), jobs=(short,)).done == 1
    run = JobRun.objects.get(job="t.lease")
    assert run.status == JobRun.Status.DONE and run.attempts == 2 and run.worker == ""


def test_the_morning_report_runs_at_six_in_each_zone(world):
    from sinergi.situation.models import DailyReport
    from sinergi.situation.providers import only
    from sinergi.situation.tests.toy_modules import SAMPLE

    job = job_named("situation.daily_report")
    assert job is not None and job.daily_at == time(6)
    with only({"contoh": SAMPLE}):
        # 05.59.59 WITA: only WIT's morning (21.00 UTC) is due; yesterday's WIB/WITA ones are past catch_up.
        assert tick(now=at(21, 59, 59, day=26), jobs=(job,)).claimed == 1
        assert DailyReport.objects.count() == 0  # no regency of the test world is in WIT
        assert tick(now=at(22, 0, 0, day=26), jobs=(job,)).claimed == 1  # 06.00 WITA: Kalimantan Timur
        assert DailyReport.objects.count() == 3  # Kukar, Balikpapan, Bontang (the test world's regencies)
        assert tick(now=at(22, 30, 0, day=26), jobs=(job,)).claimed == 0
    assert JobRun.objects.get(job=job.name, scheduled_for=at(22, day=26)).zone == "Asia/Makassar"


def test_missing_tps_alerts_go_out_after_the_checkpoint(world):
    from sinergi.turnout.services import ReportInput, reports_submit
    from sinergi.turnout.setup import election_prepare
    from sinergi.turnout.tests.conftest import at as wita

    election = world["election"]
    election.refresh_from_db()
    election_prepare(election)
    operator = user_make("kpu.kukar", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    user_make("pps.tenggarong", Role.KPU_OPERATOR, "64.02.06", "kpu-kukar")
    items = [ReportInput(tps_code=f"64.02.06.1001.00{i}", checkpoint="11", voters=100) for i in (1, 2, 3)]
    reports_submit(election=election, items=items, actor=operator, at=wita(11, 5))
    job = job_named("turnout.missing_alerts")
    assert job is not None
    assert tick(now=wita(11, 29), jobs=(job,)).claimed == 1  # the 09.00 checkpoint's alert (grace 30 min)
    before = Notification.objects.filter(source="turnout").count()
    outcome = tick(now=wita(11, 30), jobs=(job,))
    assert outcome.done == 1
    run = JobRun.objects.get(job=job.name, scheduled_for=wita(11, 30))
    assert int(run.result) > 0
    assert Notification.objects.filter(source="turnout").count() > before


def test_housekeeping_prunes_old_runs_and_keeps_recent_and_unfinished_ones():
    from sinergi.ops.jobs import prune

    old, recent = datetime(2024, 10, 1, tzinfo=UTC), at(1, 0, day=27)
    for moment, status in [(old, "done"), (old + timedelta(minutes=1), "retry"), (recent, "done")]:
        JobRun.objects.create(job="t.record", scheduled_for=moment, status=status, started_at=moment)
    assert prune(at(2, 0, day=27)) == {"job_runs": 1, "task_results": 0, "workers": 0}
    assert set(JobRun.objects.values_list("status", flat=True)) == {"retry", "done"}


def broken_moments(start: datetime, end: datetime) -> list[datetime]:
    raise RuntimeError("the checkpoint table is gone")


def test_a_broken_moments_provider_does_not_stop_the_other_jobs(caplog):
    broken = Job(
        "t.broken", "sinergi.ops.tests.test_runner.record", moments="sinergi.ops.tests.test_runner.broken_moments"
    )
    with caplog.at_level(logging.ERROR, logger="sinergi.ops"):
        assert tick(now=at(1, 0), jobs=(broken, MINUTELY)).done == 1
    assert "t.broken" in caplog.text


def test_a_steady_tick_costs_three_queries(django_assert_num_queries):
    from sinergi.ops.schedule import jobs

    tick(now=at(1, 0, 5))  # every declared job's latest instance runs once
    with django_assert_num_queries(3):  # the due rows, the unfinished runs, the checkpoint moments
        assert tick(now=at(1, 0, 15)).claimed == 0
    assert len(jobs()) >= 6


@pytest.mark.parametrize(
    ("name", "due", "not_due"),
    [
        ("incidents.escalate", at(1, 7), at(1, 7, 59)),
        ("meetings.action_reminders", at(2, 0), at(2, 59, 59)),
        ("grants.alerts", at(0, 0), at(23, 59, 59)),  # 07.00 WIB
        ("ops.prune", at(20, 0), at(19, 59, 59, day=28)),  # 03.00 WIB
    ],
)
def test_each_converted_job_fires_when_due_and_not_before(world, name, due, not_due):
    job = job_named(name)
    assert job is not None
    assert tick(now=due, jobs=(job,)).done == 1
    assert JobRun.objects.get(job=name, scheduled_for=due).status == JobRun.Status.DONE
    # The last moment before the next instance: nothing new is due.
    assert tick(now=not_due, jobs=(job,)).claimed == 0
