"""The single-report write path: one report (the API with one item, the SMS `TPS` keyword, the page
form) stored in two round trips after authentication instead of seven.

1. One read, in autocommit and without a lock: the slot (its DPT, version counter and current report),
   the same TPS at the checkpoint before (for the `below_previous` and `implausible_jump` rules) and
   any report already stored under the client id (a retry answers from this row alone).
2. The quality rules run in Python on that snapshot (rules are data, `quality.evaluate`).
3. One write statement that bumps the slot's version, points it at the new report and inserts the
   report, guarded by `versions = <the version read>` (compare-and-set). On PostgreSQL that is a
   single `WITH slot AS (UPDATE ... RETURNING) INSERT ... SELECT FROM slot RETURNING`; elsewhere
   (SQLite) the same guarded UPDATE and the INSERT inside one short transaction.

If anything moved between the read and the write (another report for the slot, a concurrent retry,
the same client id used for another TPS at the same moment), the write changes nothing and the
caller falls back to the locked batch path (`services._submit`), which decides it exactly as before.
So the fast path never decides a race: it only skips the locks when there is none.

Nothing here holds session state across statements (no server-side cursor, no named prepared
statement, no advisory lock, no `SET`), so it works behind PgBouncer in transaction mode: each
statement of the happy path is its own transaction.
"""

import contextlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sinergi.turnout.models import Checkpoint, Report, Slot

SLOT_TABLE = Slot._meta.db_table
REPORT_TABLE = Report._meta.db_table
# Every stored column of a report except the three the write statement fills (id, slot, version).
_REPORT_FIELDS = [f for f in Report._meta.concrete_fields if f.attname not in ("id", "slot_id", "version")]

# Only the JSON and date-time columns need the backend's adaptation; ints and strings go in as they are
# (Django's field-by-field preparation cost more than the rest of building the write).
_REPORT_PREPARE = [(f, f.get_internal_type() in ("JSONField", "DateTimeField")) for f in _REPORT_FIELDS]

_READ_SQL = f"""
SELECT s.id, s.dpt, s.versions, cur.voters, cur.reporter_id, CASE WHEN prev.held THEN NULL ELSE prev.voters END,
       dup.id, dup.version, dup.voters, dup.flags, dup_slot.tps_code, dup_slot.checkpoint_id
FROM {SLOT_TABLE} s
LEFT JOIN {REPORT_TABLE} cur ON cur.id = s.current_id
LEFT JOIN {SLOT_TABLE} prev ON prev.checkpoint_id = %s AND prev.tps_code = s.tps_code
LEFT JOIN {REPORT_TABLE} dup ON dup.client_id = %s
LEFT JOIN {SLOT_TABLE} dup_slot ON dup_slot.id = dup.slot_id
WHERE s.checkpoint_id = %s AND s.tps_code = %s
"""


@dataclass(frozen=True)
class SlotSnapshot:
    """What the read saw: the slot, its current report, the checkpoint before, a stored retry."""

    slot_id: int
    dpt: int
    versions: int
    prior_voters: int | None
    prior_reporter: int | None
    previous_voters: int | None
    stored: "StoredReport | None"


@dataclass(frozen=True)
class StoredReport:
    """The report already stored under the client id (a retry, or a reused id)."""

    version: int
    voters: int
    flags: list[dict[str, str]]
    tps_code: str
    checkpoint_id: int


def slot_read(
    checkpoint: Checkpoint, previous: Checkpoint | None, tps_code: str, client_id: str | None
) -> SlotSnapshot | None:
    """The snapshot of one slot, or None when the election has no such TPS (the caller's general path
    names the error)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL, [previous.pk if previous else None, client_id, checkpoint.pk, tps_code])
        row = cursor.fetchone()
    if row is None:
        return None
    slot_id, dpt, versions, prior_voters, prior_reporter, previous_voters = row[:6]
    stored = None
    if row[6] is not None:
        flags = json.loads(row[9]) if isinstance(row[9], str | bytes) else row[9]
        stored = StoredReport(version=row[7], voters=row[8], flags=flags, tps_code=row[10], checkpoint_id=row[11])
    return SlotSnapshot(slot_id, dpt, versions, prior_voters, prior_reporter, previous_voters, stored)


def report_write(snapshot: SlotSnapshot, report: Report, flagged: bool, held: bool = False) -> int | None:
    """Store `report` as version `snapshot.versions + 1` of its slot and make it the slot's current
    numbers, in one statement, if the slot still is at `snapshot.versions`. Returns the new report's
    id, or None when the slot moved on or the client id was taken meanwhile (nothing is written)."""
    values = [
        field.get_db_prep_save(getattr(report, field.attname), connection)
        if prepare
        else getattr(report, field.attname)
        for field, prepare in _REPORT_PREPARE
    ]
    slot_values = [
        report.voters,
        report.voters_male,
        report.voters_female,
        flagged,
        held,
        connection.ops.adapt_datetimefield_value(report.submitted_at),
        # The real moment, not the report's (a replay submits at simulated times): the tallies follow it.
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    try:
        if connection.vendor == "postgresql":
            # Inside an outer transaction (a test, a caller's atomic block) a failed statement must
            # not poison it: a savepoint then. In autocommit the statement is its own transaction.
            with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
                return _write_postgresql(snapshot, slot_values, values)
        return _write_portable(snapshot, slot_values, values)
    except IntegrityError:
        return None  # the client id (or this version) was stored concurrently: the locked path decides


_SLOT_SET = (
    "voters = %s, voters_male = %s, voters_female = %s, flagged = %s, held = %s, reported_at = %s, changed_at = %s"
)
_COLUMNS = ", ".join(f.column for f in _REPORT_FIELDS)
_PLACEHOLDERS = ", ".join("%s" for _ in _REPORT_FIELDS)

_WRITE_POSTGRESQL = f"""
WITH slot AS (
    UPDATE {SLOT_TABLE}
    SET versions = versions + 1, {_SLOT_SET},
        current_id = nextval(pg_get_serial_sequence('{REPORT_TABLE}', 'id'))
    WHERE id = %s AND versions = %s
    RETURNING id, versions, current_id
)
INSERT INTO {REPORT_TABLE} (id, slot_id, version, {_COLUMNS})
SELECT slot.current_id, slot.id, slot.versions, {_PLACEHOLDERS} FROM slot
RETURNING id
"""


def _write_postgresql(snapshot: SlotSnapshot, slot_values: list, values: list) -> int | None:
    # The UPDATE takes the slot's row lock and the version in the same statement as the INSERT; the
    # slot's `current_id` FK is deferred (checked at commit), so it may name the row inserted below it.
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_POSTGRESQL, [*slot_values, snapshot.slot_id, snapshot.versions, *values])
        row = cursor.fetchone()
    return row[0] if row else None


_WRITE_PORTABLE_SLOT = (
    f"UPDATE {SLOT_TABLE} SET versions = versions + 1, {_SLOT_SET}, current_id = %s WHERE id = %s AND versions = %s"
)
_WRITE_PORTABLE_REPORT = f"INSERT INTO {REPORT_TABLE} (slot_id, version, {_COLUMNS}) VALUES (%s, %s, {_PLACEHOLDERS})"


class _Moved(Exception):
    """The slot was changed between the read and the write: roll the insert back."""


def _write_portable(snapshot: SlotSnapshot, slot_values: list, values: list) -> int | None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_WRITE_PORTABLE_REPORT, [snapshot.slot_id, snapshot.versions + 1, *values])
            report_id = cursor.lastrowid
            cursor.execute(_WRITE_PORTABLE_SLOT, [*slot_values, report_id, snapshot.slot_id, snapshot.versions])
            if cursor.rowcount != 1:
                raise _Moved
    except _Moved:
        return None
    return report_id


def previous_checkpoint(checkpoint: Checkpoint, checkpoints: dict[str, Checkpoint]) -> Checkpoint | None:
    """The checkpoint reported just before `checkpoint` (its numbers feed the rules), or None."""
    return next((c for c in checkpoints.values() if c.order == checkpoint.order - 1), None)
