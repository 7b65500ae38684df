"""Stored report counts per area level, category and local day (`ReportTally`).

Written inside the services' transactions: +1 received/open on create, open -1 (and done +1) when a
report closes, the reverse when it reopens. `tallies_rebuild` recomputes everything from the reports
(after a bulk load, or to check the counters) with one GROUP BY per level.
"""

from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr

from sinergi.areas.codes import DESA_DEPTH, NATIONAL_CODE, depth_of, lineage_of, parent_of
from sinergi.core.bulk import bulk_insert
from sinergi.incidents.models import Report, ReportTally
from sinergi.incidents.triage import OPEN_STATES, State

# Code lengths of provinsi, kabupaten/kota, kecamatan, desa/kelurahan: the rebuild groups by them in SQL.
LEVEL_LENGTHS = (2, 5, 8, 13)


def levels(scope_code: str) -> list[str]:
    """The area codes a report counts towards: 64.02.06.2001.003 -> 64, 64.02, 64.02.06, 64.02.06.2001."""
    return [code for code in lineage_of(scope_code) if depth_of(code) <= DESA_DEPTH]


def tally_add(report: Report, *, received: int = 0, open: int = 0, done: int = 0) -> None:
    """Add to the four level rows of the report's category and day in one upsert statement
    (INSERT ... ON CONFLICT DO UPDATE, the same SQL on SQLite and PostgreSQL)."""
    q = connection.ops.quote_name
    table = q(ReportTally._meta.db_table)
    columns = ["area_code", "parent_code", "category_id", "day", "received", "open", "done"]
    codes = levels(report.scope_code)
    values: list[Any] = []
    for code in codes:
        values += [
            code,
            parent_of(code) or NATIONAL_CODE,
            report.category_id,
            report.received_day,
            received,
            open,
            done,
        ]
    counters = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in ("received", "open", "done"))
    rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES {rows} "
            f"ON CONFLICT ({q('area_code')}, {q('category_id')}, {q('day')}) DO UPDATE SET {counters}",
            values,
        )


def tally_transition(report: Report, source: str, target: str) -> None:
    was_open, is_open = source in OPEN_STATES, target in OPEN_STATES
    done = (target == State.DONE) - (source == State.DONE)
    if was_open != is_open or done:
        tally_add(report, open=int(is_open) - int(was_open), done=done)


TALLY_FIELDS = ("area_code", "parent_code", "category", "day", "received", "open", "done")


@transaction.atomic
def tallies_rebuild() -> int:
    ReportTally.objects.all().delete()
    return sum(bulk_insert(ReportTally, TALLY_FIELDS, _counted(length)) for length in LEVEL_LENGTHS)


def _counted(length: int) -> Iterator[tuple]:
    """Tally rows of one level (area codes `length` long), counted from the reports by one GROUP BY."""
    grouped = (
        Report.objects.annotate(code=Substr("scope_code", 1, length))
        .values("code", "category_id", "received_day")
        .annotate(
            received=Count("id"),
            open=Count("id", filter=Q(state__in=OPEN_STATES)),
            done=Count("id", filter=Q(state=State.DONE)),
        )
        .order_by()
    )
    for g in grouped:
        code = g["code"]
        yield (
            code,
            parent_of(code) or NATIONAL_CODE,
            g["category_id"],
            g["received_day"],
            g["received"],
            g["open"],
            g["done"],
        )
