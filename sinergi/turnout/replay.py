"""Playing a planned voting day into the database through the report service, optionally in real time."""

import datetime as dt
import time
from collections.abc import Callable
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from sinergi.areas.models import Election
from sinergi.core.models import Channel
from sinergi.turnout import tally
from sinergi.turnout.clock import replay_clock_set, replay_clock_stop
from sinergi.turnout.plan import PlannedReport
from sinergi.turnout.services import ReportInput, report_submit_as

BUCKET_MINUTES = 10


def _bucket(report: PlannedReport) -> tuple:
    minute = report.local_at.minute - report.local_at.minute % BUCKET_MINUTES
    return report.local_at.replace(minute=minute, second=0), report.reporter, report.checkpoint


def play(
    plan: list[PlannedReport],
    election: Election,
    reporters: dict[str, Any],
    *,
    speed: float | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> int:
    """Submit the plan in 10-minute buckets; with `speed`, sleep the simulated gaps divided by it.
    While it plays, the election's clock (`turnout.clock`) is the replay's simulated time, so the
    board follows the replayed checkpoints; it is back on the real clock when the replay ends."""
    zone = ZoneInfo(election.time_zone)
    buckets = [(key, list(group)) for key, group in groupby(plan, key=_bucket)]
    try:
        stored = _play(buckets, election, reporters, zone, speed, say)
    finally:
        replay_clock_stop(election)
    tally.rebuild(election)
    return stored


def _play(buckets, election, reporters, zone, speed, say) -> int:
    stored = 0
    last: dt.datetime | None = None
    for step, ((moment, reporter, checkpoint), reports) in enumerate(buckets):
        if speed and last is not None:
            time.sleep(max((moment - last).total_seconds() / speed, 0))
        last = moment
        following = buckets[step + 1][0][0] if step + 1 < len(buckets) else moment
        wait = dt.timedelta(seconds=(following - moment).total_seconds() / speed) if speed else dt.timedelta(0)
        items = [ReportInput(tps_code=r.tps_code, checkpoint=r.checkpoint, voters=r.voters, **r.extra) for r in reports]
        at = max(r.local_at for r in reports).replace(tzinfo=zone).astimezone(dt.UTC)
        # The clock reads the moment these reports are sent, so the board never shows reports from its future.
        replay_clock_set(election, at, speed=speed or 0.0, hold_for=wait)
        channel = Channel.SMS if reporter == "second" else Channel.API
        # As the named reporter, through the same access rule as the API (404/403 outside their areas).
        report_submit_as(user=reporters[reporter], election=election, items=items, channel=channel, at=at)
        if speed:
            tally.refresh()  # the board follows the replay without a worker (at once: one rebuild at the end)
        stored += len(items)
        say(
            _("%(time)s titik %(checkpoint)s: %(n)s laporan (%(total)s seluruhnya)")
            % {"time": f"{moment:%H.%M}", "checkpoint": checkpoint, "n": len(items), "total": stored}
        )
    return stored
