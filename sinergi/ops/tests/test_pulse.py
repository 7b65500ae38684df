"""Pulses: the apps' light callables the worker runs every few seconds, without a JobRun row."""

import logging

import pytest

from sinergi.ops import schedule
from sinergi.ops.models import JobRun
from sinergi.ops.worker import SinergiWorker

pytestmark = pytest.mark.django_db


def _worker(**kwargs) -> SinergiWorker:
    return SinergiWorker(
        queue_names=["default"],
        interval=0,
        tick=60,
        backend_name="default",
        startup_delay=False,
        worker_id="test-pulse",
        **kwargs,
    )


def test_pulses_are_discovered_from_the_apps():
    from sinergi.turnout.jobs import tallies_refresh

    assert tallies_refresh in schedule.pulses()


def test_a_failing_pulse_is_logged_and_the_others_still_run(monkeypatch, caplog):
    ran = []

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(schedule, "pulses", lambda: (broken, lambda: ran.append(1)))
    with caplog.at_level(logging.ERROR, logger="sinergi.ops"):
        _worker().pulse()
    assert ran == [1]
    assert "pulse" in caplog.text and "boom" in caplog.text
    assert not JobRun.objects.exists()  # no run rows for pulses


def test_a_worker_without_scheduler_runs_no_pulse(monkeypatch):
    ran = []
    monkeypatch.setattr(schedule, "pulses", lambda: (lambda: ran.append(1),))
    _worker(scheduler=False).pulse()
    assert ran == []
