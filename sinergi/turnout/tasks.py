"""Background jobs: the missing-TPS alert, queued a few minutes after each checkpoint."""

from django_tasks import task

from sinergi.areas.models import Election
from sinergi.turnout.alerts import missing_alerts_send
from sinergi.turnout.models import Checkpoint


@task()
def missing_alerts(election_slug: str, checkpoint_code: str) -> int:
    election = Election.objects.get(slug=election_slug)
    checkpoint = Checkpoint.objects.get(election=election, code=checkpoint_code)
    return missing_alerts_send(election=election, checkpoint=checkpoint)
