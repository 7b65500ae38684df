"""Money arithmetic in check constraints compared in whole sen, exact on SQLite (see models.sen)."""

import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models


def sen(field):
    return django.db.models.functions.math.Round(models.F(field) * models.Value(100))


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0002_load_policies"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="agreement", name="grants_refund_within_balance"),
        migrations.RemoveConstraint(model_name="agreement", name="grants_closed_is_settled"),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThanOrEqual(
                    sen("disbursed") - sen("spent") - sen("refunded"), 0
                ),
                name="grants_refund_within_balance_sen",
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "open"))
                | models.Q(django.db.models.lookups.Exact(sen("disbursed") - sen("spent") - sen("refunded"), 0)),
                name="grants_closed_is_settled_sen",
            ),
        ),
    ]
