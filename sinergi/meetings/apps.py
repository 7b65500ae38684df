from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sinergi.meetings"
    label = "meetings"
    verbose_name = "Coordination meetings"
