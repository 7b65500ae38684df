from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "sinergi.grants"
    label = "grants"
    verbose_name = "Election grants"
