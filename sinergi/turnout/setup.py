"""Preparing an election for voting day: checkpoints, expected slots and the default quality rules."""

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from sinergi.areas.models import Election, PollingStation
from sinergi.turnout.models import Checkpoint, QualityRule, Slot
from sinergi.turnout.quality import DEFAULT_RULES

# (code, label, local time, final?, usual share of the final turnout reached by then)
DEFAULT_CHECKPOINTS = [
    ("09", "Pukul 09.00", dt.time(9, 0), False, Decimal("0.380")),
    ("11", "Pukul 11.00", dt.time(11, 0), False, Decimal("0.740")),
    ("13", "Pukul 13.00 (tutup)", dt.time(13, 0), False, Decimal("0.985")),
    ("final", "Hasil akhir (C.Hasil)", dt.time(15, 0), True, Decimal("1.000")),
]


@transaction.atomic
def checkpoints_ensure(election: Election) -> list[Checkpoint]:
    for order, (code, label, at, final, share) in enumerate(DEFAULT_CHECKPOINTS, start=1):
        Checkpoint.objects.get_or_create(
            election=election,
            code=code,
            defaults={"label": label, "local_time": at, "order": order, "is_final": final, "expected_share": share},
        )
    return list(Checkpoint.objects.filter(election=election).order_by("order"))


def rules_ensure() -> None:
    for code, (label, params) in DEFAULT_RULES.items():
        QualityRule.objects.get_or_create(code=code, defaults={"label": label, "params": params})


@transaction.atomic
def slots_prepare(election: Election) -> int:
    """Create the missing TPS x checkpoint slots in the election's region with one INSERT ... SELECT
    per checkpoint, so a national election never passes through Python row by row."""
    stations = PollingStation.objects.within(election.region_id).values("code", "dpt_total")
    select_sql, params = stations.query.sql_with_params()
    slot = Slot._meta.db_table
    created = 0
    changed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    for checkpoint in Checkpoint.objects.filter(election=election).all():
        sql = (
            f"INSERT INTO {slot} (checkpoint_id, tps_code, dpt, flagged, versions, changed_at) "
            f"SELECT %s, s.code, s.dpt_total, FALSE, 0, %s FROM ({select_sql}) s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {slot} o WHERE o.checkpoint_id = %s AND o.tps_code = s.code)"
        )
        with connection.cursor() as cursor:
            # New slots count as changed: the next refresh of the tallies adds them to the expected TPS.
            cursor.execute(sql, [checkpoint.pk, changed_at, *params, checkpoint.pk])
            created += max(cursor.rowcount, 0)
    return created


def election_prepare(election: Election) -> int:
    checkpoints_ensure(election)
    rules_ensure()
    return slots_prepare(election)
