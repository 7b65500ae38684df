"""Subtree counters on Area (children, TPS, DPT), so area pages never scan the TPS table.

Only active children count: an area a newer Kemendagri edition retired keeps its own counters
but no longer adds to its parent's.

Recomputed level by level from the bottom: desa from their TPS, then each level from its
children, one UPDATE per level (with a row-value subquery, supported by SQLite >= 3.15 and
PostgreSQL). Called by the importers after every change to areas or TPS, inside their transaction.
"""

from collections.abc import Iterable

from django.db import connection

from sinergi.areas.codes import level_of, parent_of
from sinergi.areas.models import LEVEL_ORDER, Level
from sinergi.core.batching import chunked

_FROM_TPS = """
UPDATE areas_area SET (tps_count, dpt_male, dpt_female, dpt_total) = (
    SELECT COUNT(*), COALESCE(SUM(s.dpt_male), 0), COALESCE(SUM(s.dpt_female), 0), COALESCE(SUM(s.dpt_total), 0)
    FROM areas_pollingstation s WHERE s.desa_code = areas_area.code)
WHERE level = %s"""

_FROM_CHILDREN = """
UPDATE areas_area SET (children_count, tps_count, dpt_male, dpt_female, dpt_total) = (
    SELECT COUNT(*), COALESCE(SUM(c.tps_count), 0), COALESCE(SUM(c.dpt_male), 0), COALESCE(SUM(c.dpt_female), 0),
           COALESCE(SUM(c.dpt_total), 0)
    FROM areas_area c WHERE c.parent_code = areas_area.code AND c.is_active)
WHERE level = %s"""


# Past this many areas of one level, updating the whole level is cheaper than listing them.
WHOLE_LEVEL_FROM = 5000


def recompute(area_codes: Iterable[str] | None = None) -> None:
    """Recompute counters for the given areas and all their ancestors (all areas if None)."""
    by_level = _with_ancestors_by_level(area_codes) if area_codes is not None else None
    with connection.cursor() as cursor:
        for level in reversed(LEVEL_ORDER):
            sql = _FROM_TPS if level == Level.VILLAGE else _FROM_CHILDREN
            codes = None if by_level is None else sorted(by_level.get(level, ()))
            if codes is None or len(codes) > WHOLE_LEVEL_FROM:
                cursor.execute(sql, [level])
                continue
            for chunk in chunked(codes):
                cursor.execute(sql + f" AND code IN ({', '.join(['%s'] * len(chunk))})", [level, *chunk])


def _with_ancestors_by_level(area_codes: Iterable[str]) -> dict[str, set[str]]:
    codes = set(area_codes)
    frontier = set(codes)
    while frontier:
        parents = {parent for code in frontier if (parent := parent_of(code)) is not None}
        frontier = parents - codes
        codes |= parents
    by_level: dict[str, set[str]] = {}
    for code in codes:
        by_level.setdefault(level_of(code) or "", set()).add(code)
    return by_level
