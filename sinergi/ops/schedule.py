"""Scheduled jobs as data.

Every app declares its periodic work in its own `jobs.py`:

    from sinergi.ops.schedule import Job

    JOBS = [Job("incidents.escalate", "sinergi.incidents.jobs.escalate", every=timedelta(minutes=1))]

The worker (`sinergi worker`) discovers the lists, and on each tick runs every job instance that
is due and has no run yet (`ops.runner.tick`). A job has exactly one timing:

- `every`: at each multiple of the interval since the Unix epoch (every minute on the minute,
  hourly on the hour UTC, which is the hour in WIB, WITA and WIT alike);
- `daily_at`: once a day at that wall-clock time, in WIB, or in each of WIB, WITA and WIT when
  `per_zone=True` (three instances a day; the callable receives `zone` to pick its areas);
- `moments`: dotted path of a callable `(start, end) -> iterable of aware datetimes`, the moments
  in that window when the job is due (e.g. a few minutes after each turnout checkpoint).

An app may also list `PULSES`: dotted paths of light callables the worker runs every few seconds
(`--pulse`), between ticks and without a `JobRun` row (see `pulses`).

The callable named by `func` takes no arguments, or any of the keywords `now` (the moment the
instance was due) and `zone` (the IANA zone of a per-zone instance). After downtime only the
latest missed instance runs, once (`catch_up` can also drop instances that are too late to matter).
"""

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise

from sinergi.core.timezones import WIB, WIT, WITA

ZONES = (WIB, WITA, WIT)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# How far `moments` providers are asked to look back for a missed instance, and ahead for the next.
MOMENTS_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    every: timedelta | None = None
    daily_at: time | None = None
    per_zone: bool = False
    moments: str | None = None
    # A failed attempt is retried `retries` times, `retry_after` apart; then the run fails and alarms.
    retries: int = 2
    retry_after: timedelta = timedelta(minutes=1)
    # A run still marked running this long after it started lost its worker and is attempted again.
    lease: timedelta = timedelta(minutes=15)
    # A missed instance older than this is skipped (None: the latest missed instance always runs once).
    catch_up: timedelta | None = None
    description: "str | Promise" = ""  # a lazy translation, shown on the ops page
    app: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        timings = [self.every is not None, self.daily_at is not None, self.moments is not None]
        if sum(timings) != 1:
            raise ValueError(f"job {self.name}: give exactly one of every, daily_at, moments")
        if self.every is not None and self.every <= timedelta(0):
            raise ValueError(f"job {self.name}: every must be positive")
        if self.per_zone and self.daily_at is None:
            raise ValueError(f"job {self.name}: per_zone needs daily_at")
        if self.retries < 0:
            raise ValueError(f"job {self.name}: retries must be zero or more")

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones this job has instances in ("" for a zone-less job)."""
        if self.daily_at is not None:
            return ZONES if self.per_zone else (WIB,)
        return ("",)

    def timing(self) -> str:
        """A short English description of when the job runs (the ops page translates the parts)."""
        if self.every is not None:
            return f"every {_interval(self.every)}"
        if self.daily_at is not None:
            when = self.daily_at.strftime("%H.%M")
            return f"daily {when} " + ("WIB/WITA/WIT" if self.per_zone else "WIB")
        return f"at moments of {self.moments}"


def _interval(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def import_path(path: str) -> Any:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _moments(job: Job, start: datetime, end: datetime) -> list[datetime]:
    provider: Callable[[datetime, datetime], Iterable[datetime]] = import_path(job.moments or "")
    return sorted(m for m in provider(start, end) if start <= m <= end)


def latest_due(job: Job, now: datetime) -> list[tuple[datetime, str]]:
    """The latest instance due at or before `now`, per zone: `[(scheduled_for, zone)]` (UTC moments).
    Earlier instances are deliberately not returned: missed runs collapse to the latest one."""
    now = now.astimezone(UTC)
    due: list[tuple[datetime, str]] = []
    if job.every is not None:
        steps = (now - EPOCH) // job.every
        due.append((EPOCH + steps * job.every, ""))
    elif job.daily_at is not None:
        for zone in job.zones:
            local = now.astimezone(ZoneInfo(zone))
            moment = datetime.combine(local.date(), job.daily_at, tzinfo=ZoneInfo(zone))
            if moment > local:
                moment -= timedelta(days=1)
            due.append((moment.astimezone(UTC), zone))
    else:
        moments = _moments(job, now - (job.catch_up or MOMENTS_WINDOW), now)
        if moments:
            due.append((moments[-1].astimezone(UTC), ""))
    if job.catch_up is not None:
        due = [(moment, zone) for moment, zone in due if now - moment <= job.catch_up]
    return due


def next_due(job: Job, now: datetime) -> datetime | None:
    """The first instance strictly after `now` (any zone), or None when none is known."""
    now = now.astimezone(UTC)
    if job.every is not None:
        return EPOCH + ((now - EPOCH) // job.every + 1) * job.every
    if job.daily_at is not None:
        upcoming = []
        for zone in job.zones:
            local = now.astimezone(ZoneInfo(zone))
            moment = datetime.combine(local.date(), job.daily_at, tzinfo=ZoneInfo(zone))
            if moment <= local:
                moment += timedelta(days=1)
            upcoming.append(moment.astimezone(UTC))
        return min(upcoming)
    later = [m for m in _moments(job, now, now + MOMENTS_WINDOW) if m > now]
    return later[0].astimezone(UTC) if later else None


def call(job: Job, *, now: datetime, zone: str = "") -> Any:
    """Run the job's callable with the keywords it accepts (`now`, `zone`)."""
    func = import_path(job.func)
    params = inspect.signature(func).parameters
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    kwargs: dict[str, Any] = {}
    if accepts_any or "now" in params:
        kwargs["now"] = now
    if zone and (accepts_any or "zone" in params):
        kwargs["zone"] = zone
    return func(**kwargs)


def _job_modules() -> list[tuple[Any, Any]]:
    """(app config, its `jobs` module) of every installed app that has one, in app order."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        try:
            found.append((config, importlib.import_module(f"{config.name}.jobs")))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise
    return found


@cache
def pulses() -> tuple[Callable[[], Any], ...]:
    """Every installed app's `jobs.PULSES`: dotted paths of light, idempotent callables (no arguments)
    that the worker runs every few seconds (`--pulse`), with no `JobRun` row: keeping derived data
    current (the stored turnout tallies). Each must return quickly when there is nothing to do."""
    return tuple(import_path(path) for _config, module in _job_modules() for path in getattr(module, "PULSES", []))


@cache
def jobs() -> tuple[Job, ...]:
    """Every installed app's `jobs.JOBS`, in app order; names must be unique."""
    found: list[Job] = []
    for config, module in _job_modules():
        for job in getattr(module, "JOBS", []):
            if not isinstance(job, Job):
                raise TypeError(f"{config.name}.jobs.JOBS holds {job!r}, not a Job")
            found.append(job if job.app else _with_app(job, config.label))
    names = [job.name for job in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"duplicate job names: {', '.join(duplicates)}")
    return tuple(found)


def _with_app(job: Job, label: str) -> Job:
    from dataclasses import replace

    return replace(job, app=label)


def job_named(name: str) -> Job | None:
    return next((job for job in jobs() if job.name == name), None)
