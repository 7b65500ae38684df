from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Scheduled jobs, worker heartbeats and health checks (issue 14)."""

    name = "sinergi.ops"
    label = "ops"
    verbose_name = "Operations"
