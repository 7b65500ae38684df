"""Stored roll-ups of a round: the full vectorised recompute and the per-checklist delta.

Every roll-up field is an additive count, so one new checklist version changes the roll-ups of its
ancestors by (new contribution - old contribution): five small row updates instead of a rescan.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from sinergi.areas.codes import DESA_DEPTH, ancestor_at, ancestors_of, is_within, level_of, parent_of
from sinergi.areas.models import Area, PollingStation, within
from sinergi.core.errors import Conflict
from sinergi.risk import schemes, scoring
from sinergi.risk.models import SECURITY_BY_RANK, AreaRollup, AssessmentRound, Checklist, RoundStatus
from sinergi.risk.permissions import closed_round_refusal

BATCH = 2000


@dataclass(frozen=True)
class RecomputeResult:
    tps: int
    areas: int
    checklists_updated: int


def round_recompute(round_: AssessmentRound) -> RecomputeResult:
    """Score every current checklist of the round and rewrite its roll-ups, in one transaction.

    A closed round is immutable: recomputing it (after an admin edited weights or rules) is refused
    with a 409 naming the round; reopen it first if its published numbers really must change.
    """
    if AssessmentRound.objects.filter(pk=round_.pk).exclude(status=RoundStatus.OPEN).exists():
        raise Conflict(closed_round_refusal(round_), code="round_closed")
    scheme = schemes.scheme_for(round_.instrument)
    bounds = schemes.bounds_for(round_.instrument)
    rows = list(
        Checklist.objects.current()
        .filter(round=round_)
        .order_by("tps_id")
        .values_list("id", "tps_id", "yes_mask", "score", "security_class")
    )
    ids, codes, masks, old_score, old_class = _columns(rows)
    special = _special(round_.area_id, codes)
    assessed = scoring.assess(masks, special, scheme)
    score, ranks = assessed[1], assessed[3]
    levels = _rollup_levels(codes, assessed, round_.area_id)
    with transaction.atomic():
        changed = _refresh_checklists(ids, old_score, old_class, score, ranks)
        written = _write_rollups(round_, levels, scheme, bounds)
        AssessmentRound.objects.filter(pk=round_.pk).update(computed_at=timezone.now())
    return RecomputeResult(tps=len(rows), areas=written, checklists_updated=changed)


def _columns(rows: list[tuple]):
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, [], empty, np.zeros(0), []
    n = len(rows)

    def column(j: int, dtype) -> np.ndarray:
        return np.fromiter((row[j] for row in rows), dtype=dtype, count=n)

    return (
        column(0, np.int64),
        [row[1] for row in rows],
        column(2, np.int64),
        column(3, np.float64),
        [row[4] for row in rows],
    )


def _special(area_code: str, codes: list[str]):
    """Special-location flags for sorted `codes`; such TPS are few, so they are read apart (no join)."""
    special = PollingStation.objects.filter(within(area_code, include_self=False), is_special=True)
    found = set(special.values_list("code", flat=True))
    return np.array([c in found for c in codes], dtype=bool) if found else np.zeros(len(codes), dtype=bool)


def _rollup_levels(codes, assessed: tuple, top: str) -> list[tuple[list[str], scoring.Rollup]]:
    """[(area codes, roll-up)] from desa level up to the round's area."""
    if not codes:
        return []
    # A desa code is the TPS code without its ".NNN" suffix (TPS codes always end in three digits).
    desa_codes, groups = np.unique(np.array([ancestor_at(c, DESA_DEPTH) for c in codes]), return_inverse=True)
    current = scoring.rollup_assessed(groups.astype(np.int64), len(desa_codes), assessed)
    area_codes = [str(c) for c in desa_codes]
    levels = [(area_codes, current)]
    while area_codes[0] != top and parent_of(area_codes[0]) is not None:
        parents, parent_index = np.unique(np.array([parent_of(c) or "" for c in area_codes]), return_inverse=True)
        current = scoring.merge(current, parent_index.astype(np.int64), len(parents))
        area_codes = [str(c) for c in parents]
        levels.append((area_codes, current))
        if not is_within(area_codes[0], top):
            break
    return levels


def _refresh_checklists(ids, old_score, old_class, score, ranks) -> int:
    new_class = [SECURITY_BY_RANK[int(r)] for r in ranks]
    changed = [
        Checklist(id=int(ids[i]), score=float(score[i]), security_class=new_class[i])
        for i in np.flatnonzero((np.abs(old_score - score) > 1e-9) | (np.array(old_class) != np.array(new_class)))
    ]
    Checklist.objects.bulk_update(changed, ["score", "security_class"], batch_size=BATCH)
    return len(changed)


def _write_rollups(round_, levels, scheme, bounds) -> int:
    """Replace the round's roll-ups with one multi-row INSERT per batch; JSON is formatted, not dumped."""
    totals = dict(Area.objects.filter(within(round_.area_id)).values_list("code", "tps_count"))
    AreaRollup.objects.filter(round=round_).delete()
    json_cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {AreaRollup._meta.db_table} (round_id, area_code, level, parent_code, tps_total, tps_assessed,"
        f" tps_flagged, score_sum, {connection.ops.quote_name('index')}, category, by_variable, by_indicator,"
        f" by_class) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, {json_cast}, {json_cast}, {json_cast})"
    )
    written = 0
    with connection.cursor() as cursor:
        for codes, rollup in levels:
            rows = _rollup_rows(round_.pk, codes, rollup, scheme, bounds, totals)
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
            written += len(rows)
    return written


def _json_template(keys: list[str]) -> str:
    return "{" + ", ".join(f'"{k}": %d' for k in keys) + "}"


def _rollup_rows(round_id: int, codes, r: scoring.Rollup, scheme, bounds, totals) -> list[tuple]:
    level = level_of(codes[0]) or ""
    index = scoring.indices(r.by_variable, r.assessed, scheme).tolist()
    category = scoring.categories(np.array(index), schemes.bounds_at(bounds, level))
    variables, indicators = _json_template(scheme.variable_codes), _json_template(scheme.codes)
    classes = _json_template(list(scoring.CLASS_NAMES))
    by_variable, by_indicator, by_class = r.by_variable.tolist(), r.by_indicator.tolist(), r.by_class.tolist()
    assessed, flagged, score_sum = r.assessed.tolist(), r.flagged.tolist(), r.score_sum.tolist()
    return [
        (
            round_id,
            code,
            level,
            parent_of(code) or "",
            totals[code],
            assessed[i],
            flagged[i],
            score_sum[i],
            index[i],
            category[i],
            variables % tuple(by_variable[i]),
            indicators % tuple(by_indicator[i]),
            classes % tuple(by_class[i]),
        )
        for i, code in enumerate(codes)
        if code in totals
    ]


def apply_delta(round_: AssessmentRound, tps: tuple[str, bool], old_mask: int | None, new_mask: int, scheme) -> None:
    """Move the roll-ups of the TPS's ancestors (inside the round's area) by new minus old contribution."""
    code, special = tps
    masks = np.array([new_mask] + ([old_mask] if old_mask is not None else []), dtype=np.int64)
    r = scoring.rollup(np.array([0, 1][: len(masks)]), 2, masks, np.array([special] * len(masks)), scheme)
    sign = np.array([1, -1])
    delta = {
        "assessed": int(sign @ r.assessed),
        "flagged": int(sign @ r.flagged),
        "score_sum": float(sign @ r.score_sum),
        "by_indicator": (sign @ r.by_indicator).tolist(),
        "by_variable": (sign @ r.by_variable).tolist(),
        "by_class": (sign @ r.by_class).tolist(),
    }
    area_codes = [a for a in [*ancestors_of(code)] if is_within(a, round_.area_id)]
    bounds = schemes.bounds_for(round_.instrument)
    existing = {
        row.area_id: row for row in AreaRollup.objects.select_for_update().filter(round=round_, area_id__in=area_codes)
    }
    totals = dict(Area.objects.filter(code__in=area_codes).values_list("code", "tps_count"))
    for area_code in area_codes:
        row = existing.get(area_code) or _empty_row(round_, area_code, scheme, totals.get(area_code, 0))
        _add(row, delta, scheme, schemes.bounds_at(bounds, row.level))
        row.save()


def _empty_row(round_, code: str, scheme, total: int) -> AreaRollup:
    return AreaRollup(
        round=round_,
        area_id=code,
        level=level_of(code) or "",
        parent_code=parent_of(code) or "",
        tps_total=total,
        by_variable=dict.fromkeys(scheme.variable_codes, 0),
        by_indicator=dict.fromkeys(scheme.codes, 0),
        by_class=dict.fromkeys(scoring.CLASS_NAMES, 0),
    )


def _add(row: AreaRollup, delta: dict, scheme, bounds) -> None:
    row.tps_assessed += delta["assessed"]
    row.tps_flagged += delta["flagged"]
    row.score_sum += delta["score_sum"]
    for key, names in (("by_indicator", scheme.codes), ("by_variable", scheme.variable_codes)):
        counts = getattr(row, key)
        for name, change in zip(names, delta[key], strict=True):
            counts[name] = counts.get(name, 0) + change
    for name, change in zip(scoring.CLASS_NAMES, delta["by_class"], strict=True):
        row.by_class[name] = row.by_class.get(name, 0) + change
    variable_counts = np.array([row.by_variable[v] for v in scheme.variable_codes])
    row.index = float(scoring.indices(variable_counts, np.array([row.tps_assessed]), scheme)[0])
    row.category = scoring.categories(np.array([row.index]), bounds)[0]
