"""Background work of people: activation links for a large import, sent by the worker."""

from django_tasks import task


@task()
def activation_send_task(user_ids: list[int], actor_id: int | None = None) -> int:
    """Queue an activation link for each of these users (`services.activation_send`)."""
    from sinergi.accounts.models import User
    from sinergi.people.services import activation_send

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return activation_send(user_ids, actor=actor).queued
