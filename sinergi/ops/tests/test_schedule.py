"""When each job is due, on a controlled clock (pure: no database except the checkpoint moments)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from sinergi.core.timezones import WIB, WIT, WITA
from sinergi.ops import schedule
from sinergi.ops.schedule import Job, latest_due, next_due

MINUTELY = Job("t.minutely", "sinergi.ops.tests.test_schedule.takes_nothing", every=timedelta(minutes=1))
HOURLY = Job("t.hourly", "sinergi.ops.tests.test_schedule.takes_nothing", every=timedelta(hours=1))
MORNING = Job("t.morning", "sinergi.ops.tests.test_schedule.takes_zone", daily_at=time(6), per_zone=True)
ONCE_WIB = Job("t.grants", "sinergi.ops.tests.test_schedule.takes_nothing", daily_at=time(7))


def takes_nothing() -> str:
    return "nothing"


def takes_zone(zone: str, now: datetime) -> tuple[str, datetime]:
    return zone, now


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2024, 11, day, hour, minute, second, tzinfo=UTC)


def test_every_minute_is_due_on_the_minute_and_not_between():
    assert latest_due(MINUTELY, at(27, 1, 0, 0)) == [(at(27, 1, 0), "")]
    assert latest_due(MINUTELY, at(27, 1, 0, 59)) == [(at(27, 1, 0), "")]  # same instance: not due again
    assert latest_due(MINUTELY, at(27, 1, 1, 0)) == [(at(27, 1, 1), "")]
    assert next_due(MINUTELY, at(27, 1, 0, 0)) == at(27, 1, 1)
    assert next_due(HOURLY, at(27, 1, 59, 59)) == at(27, 2)


def test_daily_at_six_is_three_instances_one_per_zone():
    # 06.00 WIT = 21.00 UTC, 06.00 WITA = 22.00 UTC, 06.00 WIB = 23.00 UTC (the day before in UTC).
    before_any = at(26, 20, 59)
    assert {zone: moment for moment, zone in latest_due(MORNING, before_any)} == {
        WIT: at(25, 21),
        WITA: at(25, 22),
        WIB: at(25, 23),
    }
    assert next_due(MORNING, before_any) == at(26, 21)
    after_wita = at(26, 22, 0, 1)
    due = {zone: moment for moment, zone in latest_due(MORNING, after_wita)}
    assert due == {WIT: at(26, 21), WITA: at(26, 22), WIB: at(25, 23)}  # WIB's morning is still to come
    assert next_due(MORNING, after_wita) == at(26, 23)


def test_a_zone_less_daily_job_is_in_wib():
    assert latest_due(ONCE_WIB, at(27, 0, 0)) == [(at(27, 0), WIB)]  # 07.00 WIB
    assert latest_due(ONCE_WIB, at(26, 23, 59)) == [(at(26, 0), WIB)]


def test_missed_instances_collapse_to_the_latest_and_catch_up_drops_stale_ones():
    # Down for three hours: one minutely instance is due, the latest, not 180 of them.
    assert latest_due(MINUTELY, at(27, 4, 0, 30)) == [(at(27, 4, 0), "")]
    strict = Job("t.strict", "x.y", daily_at=time(6), catch_up=timedelta(hours=6))
    assert latest_due(strict, at(27, 4)) == [(at(26, 23), WIB)]  # 11.00 WIB: still worth it
    assert latest_due(strict, at(27, 6)) == []  # 13.00 WIB: too late, wait for tomorrow


def test_a_job_declares_exactly_one_timing():
    with pytest.raises(ValueError, match="exactly one"):
        Job("bad", "x.y")
    with pytest.raises(ValueError, match="exactly one"):
        Job("bad", "x.y", every=timedelta(minutes=1), daily_at=time(6))
    with pytest.raises(ValueError, match="per_zone"):
        Job("bad", "x.y", every=timedelta(minutes=1), per_zone=True)


def test_call_passes_only_the_keywords_the_callable_takes():
    assert schedule.call(MINUTELY, now=at(27, 1)) == "nothing"
    assert schedule.call(MORNING, now=at(27, 1), zone=WITA) == (WITA, at(27, 1))


def test_every_app_declares_its_periodic_work():
    names = {job.name: job for job in schedule.jobs()}
    assert names["incidents.escalate"].every == timedelta(minutes=1)
    assert names["meetings.action_reminders"].every == timedelta(hours=1)
    assert names["grants.alerts"].daily_at == time(7)
    assert names["situation.daily_report"].daily_at == time(6) and names["situation.daily_report"].per_zone
    assert names["turnout.missing_alerts"].moments
    for job in names.values():
        assert callable(schedule.import_path(job.func)), job.name
        assert job.app, job.name


@pytest.mark.django_db
def test_missing_tps_alerts_are_due_after_each_checkpoint_of_an_election_on_its_day(world):
    from sinergi.turnout.models import Checkpoint
    from sinergi.turnout.selectors import MISSING_GRACE
    from sinergi.turnout.setup import election_prepare
    from sinergi.turnout.voting_day import checkpoint_moment

    job = schedule.job_named("turnout.missing_alerts")
    assert job is not None
    election = world["election"]
    election.refresh_from_db()
    election_prepare(election)
    checkpoints = list(Checkpoint.objects.filter(election=election).order_by("order"))
    moments = [checkpoint_moment(election, c) + MISSING_GRACE for c in checkpoints]
    first, second = moments[0], moments[1]
    assert latest_due(job, first - timedelta(seconds=1)) == []
    assert latest_due(job, first) == [(first, "")]
    assert latest_due(job, second - timedelta(seconds=1)) == [(first, "")]  # still the first instance
    assert next_due(job, first) == second
    assert latest_due(job, second + timedelta(minutes=5)) == [(second, "")]
    assert latest_due(job, moments[-1] + timedelta(hours=3)) == []  # past catch_up: voting day is over
