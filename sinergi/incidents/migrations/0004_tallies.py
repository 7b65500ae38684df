import datetime

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """Local day of receipt for reports stored before the column existed, then the tallies."""
    from sinergi.core.timezones import local_time

    Report = apps.get_model("incidents", "Report")
    for report in Report.objects.only("pk", "received_at", "scope_code").iterator():
        Report.objects.filter(pk=report.pk).update(received_day=local_time(report.received_at, report.scope_code).date())
    ReportTally = apps.get_model("incidents", "ReportTally")
    from django.db.models import Count, Q
    from django.db.models.functions import Substr

    open_states = ["baru", "diverifikasi", "ditindaklanjuti"]
    for length in (2, 5, 8, 13):
        grouped = (
            Report.objects.annotate(code=Substr("scope_code", 1, length))
            .values("code", "category_id", "received_day")
            .annotate(n=Count("id"), o=Count("id", filter=Q(state__in=open_states)), d=Count("id", filter=Q(state="selesai")))
            .order_by()
        )
        ReportTally.objects.bulk_create(
            ReportTally(
                area_code=g["code"],
                parent_code=g["code"].rsplit(".", 1)[0] if "." in g["code"] else "ID",
                category_id=g["category_id"],
                day=g["received_day"],
                received=g["n"],
                open=g["o"],
                done=g["d"],
            )
            for g in grouped
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_partial_queue_indexes")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="received_day",
            field=models.DateField(
                default=datetime.date(2024, 1, 1), help_text="local date of receipt in the area's time zone, for the tallies"
            ),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ReportTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("area_code", models.CharField(max_length=20)),
                ("parent_code", models.CharField(max_length=20)),
                ("day", models.DateField()),
                ("received", models.PositiveIntegerField(default=0)),
                ("open", models.IntegerField(default=0)),
                ("done", models.IntegerField(default=0)),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="incidents.category"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["parent_code", "day"], name="incident_tally_parent"),
                    models.Index(fields=["area_code", "day"], name="incident_tally_area"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("area_code", "category", "day"), name="incident_tally_unique")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
