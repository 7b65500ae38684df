"""Background delivery: `send` enqueues this after commit, so a message leaves without waiting for
the next scheduled run; the periodic job in `jobs.py` picks up retries, fallbacks and leftovers."""

from django_tasks import task


@task()
def deliver_messages() -> int:
    from sinergi.messaging.delivery import deliver_due

    return deliver_due()
