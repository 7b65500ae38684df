"""Background delivery: `send` enqueues this once per committed transaction (a broadcast of 1,447
messages enqueues one task, not 1,447), so messages leave without waiting for the next scheduled
run; the periodic job in `jobs.py` picks up retries, fallbacks and leftovers."""

from django.db import connection, transaction
from django_tasks import task

TASK_PATH = "sinergi.messaging.tasks.deliver_messages"


@task()
def deliver_messages() -> int:
    from sinergi.messaging.delivery import drain

    return drain(run_for=50, max_sleep=2).sent


def already_queued() -> bool:
    """Whether the database task backend already holds a delivery run waiting (then it will pick up
    this transaction's messages too). Another backend cannot tell: enqueue."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()


def _kick() -> None:
    if not already_queued():
        deliver_messages.enqueue()


def deliver_after_commit() -> None:
    """Schedule one delivery run after the current transaction commits (once per transaction)."""
    if any(entry[1] is _kick for entry in connection.run_on_commit):
        return
    transaction.on_commit(_kick)
