"""Stored roll-ups of a round: the full vectorised recompute and the per-checklist delta.

Every roll-up field is an additive count, so one new checklist version changes the roll-ups of its
ancestors by (new contribution - old contribution): five small row updates instead of a rescan.
"""

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from sinergi.areas.codes import ancestors_of, is_within, level_of, parent_of
from sinergi.areas.models import Area, within
from sinergi.risk import schemes, scoring
from sinergi.risk.models import SECURITY_BY_RANK, AreaRollup, AssessmentRound, Checklist

BATCH = 2000


@dataclass(frozen=True)
class RecomputeResult:
    tps: int
    areas: int
    checklists_updated: int


def round_recompute(round_: AssessmentRound) -> RecomputeResult:
    """Score every current checklist of the round and rewrite its roll-ups, in one transaction."""
    scheme = schemes.scheme_for(round_.instrument)
    bounds = schemes.bounds_for(round_.instrument)
    rows = list(
        Checklist.objects.current()
        .filter(round=round_)
        .order_by("tps_id")
        .values_list("id", "tps_id", "yes_mask", "score", "security_class", "tps__is_special")
    )
    ids, codes, masks, old_score, old_class, special = _columns(rows)
    _, score, _, ranks = scoring.assess(masks, special, scheme)
    levels = _rollup_levels(codes, masks, special, scheme, round_.area_id)
    with transaction.atomic():
        changed = _refresh_checklists(ids, old_score, old_class, score, ranks)
        written = _write_rollups(round_, levels, scheme, bounds)
        AssessmentRound.objects.filter(pk=round_.pk).update(computed_at=timezone.now())
    return RecomputeResult(tps=len(rows), areas=written, checklists_updated=changed)


def _columns(rows: list[tuple]):
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, [], empty, np.zeros(0), [], np.zeros(0, dtype=bool)
    ids, codes, masks, old_score, old_class, special = zip(*rows, strict=True)
    return (
        np.array(ids, dtype=np.int64),
        list(codes),
        np.array(masks, dtype=np.int64),
        np.array(old_score, dtype=np.float64),
        list(old_class),
        np.array(special, dtype=bool),
    )


def _rollup_levels(codes, masks, special, scheme, top: str) -> list[tuple[list[str], scoring.Rollup]]:
    """[(area codes, roll-up)] from desa level up to the round's area."""
    desa_codes, groups = np.unique(np.array([c.rsplit(".", 1)[0] for c in codes] or [""]), return_inverse=True)
    if not codes:
        return []
    current = scoring.rollup(groups.astype(np.int64), len(desa_codes), masks, special, scheme)
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
    totals = dict(Area.objects.filter(within(round_.area_id)).values_list("code", "tps_count"))
    AreaRollup.objects.filter(round=round_).delete()
    written = 0
    for codes, rollup in levels:
        rows = _rollup_rows(round_, codes, rollup, scheme, bounds, totals)
        AreaRollup.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written


def _rollup_rows(round_, codes, r: scoring.Rollup, scheme, bounds, totals) -> list[AreaRollup]:
    level = level_of(codes[0]) or ""
    index = scoring.indices(r.by_variable, r.assessed, scheme)
    category = scoring.categories(index, schemes.bounds_at(bounds, level))
    return [
        AreaRollup(
            round=round_,
            area_id=code,
            level=level,
            parent_code=parent_of(code) or "",
            tps_total=totals.get(code, 0),
            tps_assessed=int(r.assessed[i]),
            tps_flagged=int(r.flagged[i]),
            score_sum=float(r.score_sum[i]),
            index=float(index[i]),
            category=category[i],
            by_variable=dict(zip(scheme.variable_codes, r.by_variable[i].tolist(), strict=True)),
            by_indicator=dict(zip(scheme.codes, r.by_indicator[i].tolist(), strict=True)),
            by_class=dict(zip(scoring.CLASS_NAMES, r.by_class[i].tolist(), strict=True)),
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
