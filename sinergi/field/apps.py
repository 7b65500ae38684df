from django.apps import AppConfig


class FieldConfig(AppConfig):
    """The offline-first field app at /lapangan/ (issue 12)."""

    name = "sinergi.field"
    label = "field"
    verbose_name = "Field app"
