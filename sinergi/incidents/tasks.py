from django_tasks import task

from sinergi.incidents.services import escalate_overdue


@task()
def escalate_incidents() -> int:
    """Escalate every overdue, unacknowledged report one level up; the worker runs it periodically."""
    return escalate_overdue()
