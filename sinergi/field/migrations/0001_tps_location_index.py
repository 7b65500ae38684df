"""An index on the TPS coordinates for the nearest-TPS lookup (a bounding-box range query).

The table belongs to the areas app; the index is the field app's need, so it lives here as plain SQL
(the same statement on PostgreSQL and SQLite) and the areas models stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS field_tps_lat_lng ON areas_pollingstation (lat, lng)",
            "DROP INDEX IF EXISTS field_tps_lat_lng",
        )
    ]
