"""The escalation check as a background task, for a manual `enqueue`. The periodic check is the
`incidents.escalate` job (incidents/jobs.py), run every minute by `sinergi worker`; it no longer
re-queues itself, so a failed run cannot stop the next one."""

from django_tasks import task

from sinergi.incidents.services import escalate_overdue


@task()
def escalate_incidents() -> int:
    """Escalate every overdue, unacknowledged report one level up."""
    return escalate_overdue()
