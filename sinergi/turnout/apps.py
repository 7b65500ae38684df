from django.apps import AppConfig


class TurnoutConfig(AppConfig):
    name = "sinergi.turnout"
    label = "turnout"
    verbose_name = "Voter participation"
