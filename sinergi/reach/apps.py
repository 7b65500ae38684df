from django.apps import AppConfig


class ReachConfig(AppConfig):
    """Who gets what: broadcasts, alert routing to field staff, the rehearsal (gladi) board and the
    call list (issue 13)."""

    name = "sinergi.reach"
    label = "reach"
    verbose_name = "Reach"
