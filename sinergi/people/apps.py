from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Field rosters, phones, activation and one-time-code login (issue 13)."""

    name = "sinergi.people"
    label = "people"
    verbose_name = "People"
