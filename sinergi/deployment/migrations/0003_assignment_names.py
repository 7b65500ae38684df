"""A plan keeps the names of the people it sends (frozen when it is solved), so a roster changed
after approval no longer changes the approved annex. Existing plans are named once from the
roster as it stands when this migration runs, the way their annexes showed them until now."""

from collections import defaultdict

from django.db import migrations, models


def freeze(apps, schema_editor):
    assignment = apps.get_model("deployment", "PlanAssignment")
    member = apps.get_model("deployment", "RosterMember")
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    for m in member.objects.filter(status="aktif").order_by("agency_id", "pool", "id_number"):
        names[(m.agency_id, m.pool)].append(f"{m.rank} {m.name} ({m.id_number})".strip())
    if not names:
        return
    plan_ids = assignment.objects.values_list("plan_id", flat=True).distinct()
    for plan_id in plan_ids:
        cursor: dict[tuple[int, str], int] = defaultdict(int)
        rows = list(
            assignment.objects.filter(plan_id=plan_id).order_by("post__number", "agency_id", "pool", "id")
        )
        for row in rows:
            key = (row.agency_id, row.pool)
            row.names = names[key][cursor[key] : cursor[key] + row.people]
            cursor[key] += row.people
        assignment.objects.bulk_update(rows, ["names"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("deployment", "0002_national_patterns")]
    operations = [
        migrations.AddField(
            model_name="planassignment",
            name="names",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="the people sent, 'rank name (NRP)', frozen when the plan was solved",
            ),
        ),
        migrations.RunPython(freeze, migrations.RunPython.noop),
    ]
