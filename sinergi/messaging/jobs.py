"""Periodic work of the messaging app (discovered by the ops worker)."""

from datetime import timedelta

from sinergi.ops.schedule import Job


def deliver() -> int:
    """Send what is due within each provider's rate for up to 40 s, falling back overdue messages; it
    does not sit waiting for a slow provider's next window (the worker is shared)."""
    from sinergi.messaging.delivery import drain

    return drain(run_for=40, max_sleep=2).sent


JOBS = [
    Job(
        "messaging.deliver",
        "sinergi.messaging.jobs.deliver",
        every=timedelta(minutes=1),
        retries=0,
        lease=timedelta(minutes=3),
        catch_up=timedelta(minutes=5),
        description="Deliver queued messages (rates, retries, fallbacks)",
    )
]
