"""From TPS, units and patterns to a planner instance, and from a solution to the report.
Pure: plain data in and out, no ORM, so the national benchmark uses the very same code.

Jurisdiction: a kecamatan's posts are covered by the most specific unit of each sector whose
jurisdiction holds the kecamatan (Polsek, else Polres; Koramil, else Kodim). The covering unit's
pools serve them, then its parent's (a Polsek's Polres, with the Polres reserves), then any Polres
explicitly lent to an area holding the kecamatan. Linmas of a desa guard their own desa's TPS.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sinergi.areas.codes import DESA_DEPTH, KECAMATAN_DEPTH, ancestor_at
from sinergi.deployment.grouping import (
    CLASSES,
    KINDS,
    NATIONAL_DEFAULT,
    Pattern,
    Post,
    group_posts,
    haversine_km,
    post_demand,
)
from sinergi.deployment.planner import Instance, Solution

SECTOR_KINDS = {"polri": ("polsek", "polres"), "tni": ("koramil", "kodim"), "linmas": ("satlinmas",)}
KIND_OF_AGENCY = {"polres": "polri", "polsek": "polri", "kodim": "tni", "koramil": "tni", "satlinmas": "linmas"}
SMALL_UNITS = {"polsek": 1, "koramil": 1}
# Person-km equivalents added to an arc so that reserves are drawn on only when they help.
POOL_PENALTY = {"organik": 0.0, "bko": 5.0, "pleton": 40.0, "linmas_desa": 0.0}


@dataclass(frozen=True)
class UnitInput:
    code: str
    kind: str  # agency kind: polres, polsek, kodim, koramil, satlinmas
    parent: str | None
    covers: tuple[str, ...]
    pools: dict[str, int]  # pool -> people on TPS duty
    lat: float | None = None
    lng: float | None = None


@dataclass
class Options:
    radius_km: float = 3.0
    loans: list[tuple[str, str]] = field(default_factory=list)  # (polres/kodim code, area code)


@dataclass
class PostInfo:
    post: Post
    kecamatan: str
    police_unit: str | None
    military_unit: str | None
    demand: dict[str, int]
    tps_codes: list[str]
    sources: list[str]


@dataclass
class Built:
    posts: list[PostInfo]
    instance: Instance
    row_post: np.ndarray
    row_kind: list[str]
    row_desa: list[str]
    pools: list[tuple[str, str, str]]  # (unit code, pool, personnel kind)
    units: dict[str, UnitInput]
    arc_km: np.ndarray


def kecamatan_of(code: str) -> str:
    return ancestor_at(code, KECAMATAN_DEPTH)


def desa_of(tps_code: str) -> str:
    return ancestor_at(tps_code, DESA_DEPTH)


def covering(area_code: str, units: dict[str, UnitInput], kinds: tuple[str, ...]) -> str | None:
    """The unit of `kinds` with the longest jurisdiction code holding `area_code`; on a tie the
    smaller unit wins (Polsek Muara Badak over Polres Bontang, which both cover 64.02.05)."""
    best, best_key = None, (-1, -1)
    for unit in units.values():
        if unit.kind not in kinds:
            continue
        for cover in unit.covers:
            inside = area_code == cover or area_code.startswith(cover + ".")
            key = (len(cover), SMALL_UNITS.get(unit.kind, 0))
            if inside and cover != "ID" and key > best_key:
                best, best_key = unit.code, key
    return best


def build(
    tps_codes: list[str],
    classes: list[str],
    sources: list[str],
    lat: np.ndarray,
    lng: np.ndarray,
    units: dict[str, UnitInput],
    linmas_desa: dict[str, tuple[str, int]],
    patterns: dict[str, dict[str, Pattern]],
    options: Options,
) -> Built:
    kecamatan = [kecamatan_of(c) for c in tps_codes]
    cover = {k: {s: covering(k, units, SECTOR_KINDS[s]) for s in ("polri", "tni")} for k in set(kecamatan)}
    group_patterns = {k: _patterns_for(cover[k]["polri"], units, patterns) for k in cover}
    posts = group_posts(kecamatan, classes, lat, lng, group_patterns, radius_km=options.radius_km)
    infos = []
    for post in posts:
        pattern = group_patterns[post.key][post.tps_class]
        infos.append(
            PostInfo(
                post,
                post.key,
                cover[post.key]["polri"],
                cover[post.key]["tni"],
                post_demand(len(post.tps), pattern),
                [tps_codes[i] for i in post.tps],
                [sources[i] for i in post.tps],
            )
        )
    return _assemble(infos, units, linmas_desa, group_patterns, options)


def _patterns_for(police: str | None, units: dict[str, UnitInput], patterns) -> dict[str, Pattern]:
    polres = police
    if police and units[police].kind == "polsek":
        polres = units[police].parent
    merged = dict(NATIONAL_DEFAULT)
    merged.update(patterns.get("", {}))
    merged.update(patterns.get(polres or "", {}))
    return merged


def _assemble(infos: list[PostInfo], units, linmas_desa, group_patterns, options: Options) -> Built:
    pools: list[tuple[str, str, str]] = []
    supply: list[int] = []
    base: list[tuple[float, float]] = []
    pool_index: dict[tuple[str, str], int] = {}
    for unit in units.values():
        for pool, people in unit.pools.items():
            pool_index[(unit.code, pool)] = len(pools)
            pools.append((unit.code, pool, KIND_OF_AGENCY[unit.kind]))
            supply.append(people)
            base.append((np.nan if unit.lat is None else unit.lat, np.nan if unit.lng is None else unit.lng))
    for desa, (agency, members) in sorted(linmas_desa.items()):
        pool_index[(desa, "linmas_desa")] = len(pools)
        pools.append((agency, "linmas_desa", "linmas"))
        supply.append(members)
        base.append((np.nan, np.nan))
    rows: list[tuple[int, str, str, int, int]] = []  # post, kind, desa, amount, weight
    arcs: list[tuple[int, int]] = []
    for p, info in enumerate(infos):
        weight = group_patterns[info.kecamatan][info.post.tps_class].weight
        for kind, unit_code in (("polri", info.police_unit), ("tni", info.military_unit)):
            if info.demand[kind]:
                row = len(rows)
                rows.append((p, kind, "", info.demand[kind], weight))
                for pool in _eligible(unit_code, info.kecamatan, kind, units, options):
                    arcs.extend((row, pool_index[key]) for key in pool if key in pool_index)
        per_desa: dict[str, int] = defaultdict(int)
        for code in info.tps_codes:
            per_desa[desa_of(code)] += 1
        per_tps = group_patterns[info.kecamatan][info.post.tps_class].linmas_per_tps
        satlinmas = covering(info.kecamatan, units, SECTOR_KINDS["linmas"])
        linmas_keys = [(satlinmas, pool) for pool in units[satlinmas].pools] if satlinmas else []
        for desa, n in sorted(per_desa.items()):
            if n * per_tps:
                row = len(rows)
                rows.append((p, "linmas", desa, n * per_tps, weight))
                for key in [(desa, "linmas_desa"), *linmas_keys]:
                    if key in pool_index:
                        arcs.append((row, pool_index[key]))
    return _arrays(infos, rows, arcs, pools, supply, base, units)


def _eligible(unit_code: str | None, kecamatan: str, kind: str, units, options: Options) -> list[list[tuple[str, str]]]:
    chain: list[str] = []
    if unit_code:
        chain.append(unit_code)
        parent = units[unit_code].parent
        if parent in units and KIND_OF_AGENCY[units[parent].kind] == kind:
            chain.append(parent)
    for lender, area in options.loans:
        inside = kecamatan == area or kecamatan.startswith(area + ".")
        if inside and lender in units and KIND_OF_AGENCY[units[lender].kind] == kind and lender not in chain:
            chain.append(lender)
    return [[(code, pool) for pool in units[code].pools] for code in chain]


def _arrays(infos, rows, arcs, pools, supply, base, units) -> Built:
    arc = np.array(arcs, dtype=np.int64).reshape(-1, 2)
    row_post = np.array([r[0] for r in rows], dtype=np.int64)
    post_lat = np.array([i.post.lat for i in infos])
    post_lng = np.array([i.post.lng for i in infos])
    base_arr = np.array(base, dtype=float).reshape(-1, 2)
    p_of_arc = row_post[arc[:, 0]] if arc.size else np.zeros(0, dtype=np.int64)
    km = haversine_km(base_arr[arc[:, 1], 0], base_arr[arc[:, 1], 1], post_lat[p_of_arc], post_lng[p_of_arc])
    km = np.where(np.isnan(km), 0.0, km)
    penalty = np.array([POOL_PENALTY.get(pools[j][1], 0.0) for j in arc[:, 1]])
    instance = Instance(
        row_amount=np.array([r[3] for r in rows], dtype=np.int64),
        row_weight=np.array([r[4] for r in rows], dtype=np.int64),
        pool_supply=np.array(supply, dtype=np.int64),
        arc_row=arc[:, 0].copy(),
        arc_pool=arc[:, 1].copy(),
        arc_cost=np.round(km + penalty, 3),
    )
    return Built(infos, instance, row_post, [r[1] for r in rows], [r[2] for r in rows], pools, units, km)


def report(built: Built, solution: Solution) -> dict:
    """Demand, supply, assigned and shortfall per unit and class, plus totals and objective."""
    inst = built.instance
    short = solution.shortfall
    cls_of_row = [built.posts[p].post.tps_class for p in built.row_post]
    totals = {k: {"demand": 0, "assigned": 0, "shortfall": 0, "supply": 0} for k in KINDS}
    by_class: dict[str, dict[str, Any]] = {
        c: {"tps": 0, "posts": 0, **{k: {"demand": 0, "assigned": 0, "shortfall": 0} for k in KINDS}} for c in CLASSES
    }
    for info in built.posts:
        by_class[info.post.tps_class]["tps"] += len(info.tps_codes)
        by_class[info.post.tps_class]["posts"] += 1
    units = {code: _unit_row(u) for code, u in built.units.items()}
    for r in range(inst.n_rows):
        kind, cls = built.row_kind[r], cls_of_row[r]
        amount, missing = int(inst.row_amount[r]), int(short[r])
        for bucket in (totals[kind], by_class[cls][kind]):
            bucket["demand"] += amount
            bucket["shortfall"] += missing
            bucket["assigned"] += amount - missing
        info = built.posts[built.row_post[r]]
        owner = {"polri": info.police_unit, "tni": info.military_unit}.get(kind)
        if owner in units:
            units[owner]["demand"] += amount
            units[owner]["shortfall"] += missing
            units[owner]["by_class"][cls]["demand"] += amount
            units[owner]["by_class"][cls]["shortfall"] += missing
    for (code, pool, kind), people in zip(built.pools, inst.pool_supply, strict=True):
        totals[kind]["supply"] += int(people)
        if code in units:
            units[code]["supply"][pool] = units[code]["supply"].get(pool, 0) + int(people)
            units[code]["supply_total"] += int(people)
    for a in np.nonzero(solution.arc_flow)[0]:
        code = built.pools[inst.arc_pool[a]][0]
        if code in units:
            cls = cls_of_row[inst.arc_row[a]]
            units[code]["assigned"] += int(solution.arc_flow[a])
            units[code]["by_class"][cls]["assigned"] += int(solution.arc_flow[a])
    return {
        "totals": totals,
        "by_class": by_class,
        "units": sorted(units.values(), key=lambda u: u["code"]),
        "posts": len(built.posts),
        "tps": sum(len(i.tps_codes) for i in built.posts),
        "class_sources": _sources(built),
    }


def _unit_row(unit: UnitInput) -> dict:
    return {
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent,
        "supply": {},
        "supply_total": 0,
        "assigned": 0,
        "demand": 0,
        "shortfall": 0,
        "by_class": {c: {"demand": 0, "assigned": 0, "shortfall": 0} for c in CLASSES},
    }


def _sources(built: Built) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for info in built.posts:
        for source in info.sources:
            counts[source] += 1
    return dict(counts)
