from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "sinergi.areas"
    label = "areas"
    verbose_name = "Areas and polling stations"
