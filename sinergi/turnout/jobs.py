"""Scheduled work of turnout (run by `sinergi worker`, see ops/schedule.py): the missing-TPS alert,
once the grace after each checkpoint of an election on its voting day has passed; and at every pulse
(a few seconds apart) the refresh of the stored roll-ups."""

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

if TYPE_CHECKING:
    from sinergi.areas.models import Election
    from sinergi.turnout.models import Checkpoint

# Light and idempotent: re-tallies only the desas whose slots changed (turnout/tally.py), and returns
# at once while another process refreshes.
PULSES = ["sinergi.turnout.jobs.tallies_refresh"]

JOBS = [
    Job(
        "turnout.missing_alerts",
        "sinergi.turnout.jobs.missing_alerts",
        moments="sinergi.turnout.jobs.alert_moments",
        retry_after=dt.timedelta(minutes=2),
        # An alert about the 09.00 checkpoint is useless once the 11.00 one is due.
        catch_up=dt.timedelta(hours=2),
        description=_("Peringatan TPS yang belum lapor setelah tiap titik waktu pada hari pemungutan suara"),
    ),
    Job(
        "turnout.tallies_rebuild",
        "sinergi.turnout.jobs.tallies_rebuild",
        # The safety net under the incremental refresh (a write that bypassed `changed_at`, a commit
        # later than the overlap), at night: a national rebuild holds the refresh lock for its duration.
        daily_at=dt.time(3, 30),
        description=_("Bangun ulang rekap partisipasi tersimpan dari slot laporan"),
    ),
]


def _checkpoints(start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, "Election", "Checkpoint"]]:
    """(alert moment, election, checkpoint) for elections voting around the window (zones differ by day edges)."""
    from sinergi.turnout.models import Checkpoint
    from sinergi.turnout.selectors import MISSING_GRACE
    from sinergi.turnout.voting_day import checkpoint_moment

    days = (start.date() - dt.timedelta(days=1), end.date() + dt.timedelta(days=1))
    checkpoints = Checkpoint.objects.filter(election__voting_date__range=days).select_related("election")
    for checkpoint in checkpoints:
        moment = checkpoint_moment(checkpoint.election, checkpoint) + MISSING_GRACE
        if start <= moment <= end:
            yield moment, checkpoint.election, checkpoint


def alert_moments(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    return sorted({found[0] for found in _checkpoints(start, end)})


def missing_alerts(now: dt.datetime) -> int:
    """Alert for every checkpoint whose grace ended at `now` (elections sharing a moment share the run)."""
    from sinergi.turnout.alerts import missing_alerts_send

    sent = 0
    for _moment, election, checkpoint in _checkpoints(now, now):
        sent += missing_alerts_send(election=election, checkpoint=checkpoint, now=now)
    return sent


def tallies_refresh() -> None:
    from sinergi.turnout.tally import refresh

    refresh()


def tallies_rebuild() -> None:
    from sinergi.turnout.tally import rebuild

    rebuild()
