"""What time it is for an election: the real now, or the simulated now of a replay of it.

A replay (`sinergi replay-voting-day`, `turnout.replay`) writes its simulated moment into a
`ReplayClock` row; every process reads it here, so the board, the public page and the situation room
follow the replay's checkpoint while it runs. The row stops counting when it expires (the replay
refreshes it at every step and deletes it when it stops or finishes).
"""

import datetime as dt

from django.utils import timezone

from sinergi.areas.models import Election
from sinergi.core.request_memo import RequestMemo
from sinergi.turnout.models import ReplayClock

# How long a replay's last step keeps steering the clock without a refresh (a killed replay).
EXPIRY_MARGIN = dt.timedelta(seconds=90)
NO_CLOCK: tuple = ()
# One page asks the clock several times (the room's turnout card, verdict, attention items and map;
# the board and its live fragment): inside a request each election's row is read once. Outside a
# request (the worker, commands) every question reads the row, so a long-running process never
# keeps an old clock.
_clocks = RequestMemo("turnout.clock")


def election_now(election: Election, *, real_now: dt.datetime | None = None) -> dt.datetime:
    """The aware UTC moment the election is at: a running replay's simulated time, else the real now.
    One indexed query, once per request."""
    now = real_now or timezone.now()
    clock = _clock_of(election.pk)
    if not clock or clock[3] <= now:
        return now.astimezone(dt.UTC)
    simulated_at, written_at, speed, _expires_at = clock
    elapsed = max((now - written_at).total_seconds(), 0.0)
    return (simulated_at + dt.timedelta(seconds=elapsed * speed)).astimezone(dt.UTC)


def _clock_of(election_id: int) -> tuple:
    """(simulated_at, written_at, speed, expires_at) of the election's replay clock, or NO_CLOCK."""
    seen = _clocks.current()
    if seen is not None and election_id in seen:
        return seen[election_id]
    row = ReplayClock.objects.filter(election_id=election_id).values_list(
        "simulated_at", "written_at", "speed", "expires_at"
    )
    found = row.first() or NO_CLOCK
    if seen is not None:
        seen[election_id] = found
    return found


def replay_clock_set(
    election: Election, simulated_at: dt.datetime, *, speed: float, hold_for: dt.timedelta = dt.timedelta(0)
) -> ReplayClock:
    """Set the replay's clock to `simulated_at` (aware), running at `speed` from now on. It expires
    `hold_for` (the real wait until the next step) plus a margin from now."""
    now = timezone.now()
    clock, _ = ReplayClock.objects.update_or_create(
        election=election,
        defaults={
            "simulated_at": simulated_at,
            "written_at": now,
            "speed": speed,
            "expires_at": now + hold_for + EXPIRY_MARGIN,
        },
    )
    _forget(election.pk)
    return clock


def replay_clock_stop(election: Election) -> None:
    """The replay stopped or finished: the election is back on the real clock."""
    ReplayClock.objects.filter(election=election).delete()
    _forget(election.pk)


def _forget(election_id: int) -> None:
    seen = _clocks.current()
    if seen is not None:
        seen.pop(election_id, None)
