from django.utils import timezone
from django_tasks import task

from sinergi.grants.alerts import alerts_send


@task()
def grants_alerts_send() -> int:
    """Daily: late tranches and refund deadlines, each notified once."""
    return alerts_send(timezone.localdate())
