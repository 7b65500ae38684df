from django.db import migrations, models


def simplify_stored(apps, schema_editor):
    """Fill the lighter copy of the boundaries already stored (see sinergi/areas/simplify.py)."""
    from sinergi.areas.simplify import simplify_geometry

    boundary_model = apps.get_model("areas", "AreaBoundary")
    codes = list(boundary_model.objects.order_by("area_id").values_list("area_id", flat=True))
    for start in range(0, len(codes), 200):
        rows = list(
            boundary_model.objects.filter(area_id__in=codes[start : start + 200]).select_related("area").order_by("pk")
        )
        for row in rows:
            row.simplified = simplify_geometry(row.geometry, row.area.level)
        boundary_model.objects.bulk_update(rows, ["simplified"], batch_size=200)


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="areaboundary",
            name="simplified",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(simplify_stored, migrations.RunPython.noop),
    ]
