"""The dated archive of daily situation reports (laporan situasi harian)."""

from django.conf import settings
from django.db import models

from sinergi.areas.models import Area


def _report_path(instance: "DailyReport", filename: str) -> str:
    return f"situation/reports/{instance.area_id}/{instance.report_date:%Y}/{filename}"


class DailyReport(models.Model):
    """One report per area per local day; regenerating the same day replaces its files."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    report_date = models.DateField()
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(help_text="the numbers the files were made from")
    pdf = models.FileField(upload_to=_report_path)
    xlsx = models.FileField(upload_to=_report_path)

    class Meta:
        ordering = ["-report_date", "area_id"]
        constraints = [models.UniqueConstraint(fields=["area", "report_date"], name="daily_report_once_per_day")]

    def __str__(self) -> str:
        return f"Laporan situasi {self.area_id} {self.report_date}"
