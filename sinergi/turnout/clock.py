"""What time it is for an election: the real now, or the simulated now of a replay of it.

A replay (`sinergi replay-voting-day`, `turnout.replay`) writes its simulated moment into a
`ReplayClock` row; every process reads it here, so the board, the public page and the situation room
follow the replay's checkpoint while it runs. The row stops counting when it expires (the replay
refreshes it at every step and deletes it when it stops or finishes).
"""

import datetime as dt

from django.utils import timezone

from sinergi.areas.models import Election
from sinergi.turnout.models import ReplayClock

# How long a replay's last step keeps steering the clock without a refresh (a killed replay).
EXPIRY_MARGIN = dt.timedelta(seconds=90)


def election_now(election: Election, *, real_now: dt.datetime | None = None) -> dt.datetime:
    """The aware UTC moment the election is at: a running replay's simulated time, else the real now.
    One indexed query (by primary key)."""
    now = real_now or timezone.now()
    clock = ReplayClock.objects.filter(election_id=election.pk, expires_at__gt=now).first()
    if clock is None:
        return now.astimezone(dt.UTC)
    elapsed = max((now - clock.written_at).total_seconds(), 0.0)
    return (clock.simulated_at + dt.timedelta(seconds=elapsed * clock.speed)).astimezone(dt.UTC)


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
    return clock


def replay_clock_stop(election: Election) -> None:
    """The replay stopped or finished: the election is back on the real clock."""
    ReplayClock.objects.filter(election=election).delete()
