from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from sinergi.core.nav import NavItem


class TurnoutConfig(AppConfig):
    name = "sinergi.turnout"
    label = "turnout"
    verbose_name = "Voter participation"
    nav = [NavItem(_("Partisipasi"), "turnout:index", order=50)]

    def ready(self) -> None:
        from sinergi.areas.models import Election
        from sinergi.turnout import voting_day
        from sinergi.turnout.models import Checkpoint, QualityRule

        # Elections, checkpoints and rules change by the admin or setup, rarely: each save or delete
        # drops the cached voting-day constants in every worker (voting_day.forget).
        for model in (Election, Checkpoint, QualityRule):
            post_save.connect(voting_day.forget, sender=model, dispatch_uid=f"turnout-forget-{model.__name__}")
            post_delete.connect(voting_day.forget, sender=model, dispatch_uid=f"turnout-forget-del-{model.__name__}")
