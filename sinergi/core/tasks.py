"""Helpers for self-renewing background tasks (django-tasks has no scheduler of its own)."""

from datetime import datetime


def already_queued(task_path: str, run_after: datetime | None = None) -> bool:
    """Whether the database backend already holds this task waiting (for that moment, if given), so a
    chain of self-renewing tasks stays one chain. Another backend cannot tell: the caller runs once."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    waiting = DBTaskResult.objects.filter(task_path=task_path, status="READY")
    return waiting.filter(run_after=run_after).exists() if run_after else waiting.exists()
