"""Grouping TPS into guard posts and turning posts into demand. Pure: plain data in and out.

A post is a set of nearby TPS of one security class inside one group (the jurisdiction of one
unit, usually a kecamatan), with at most the pattern's "TPS per team" of that class. Points are
the TPS's own coordinates or, when missing, its desa label point.
"""

import math
from dataclasses import dataclass, field

import numpy as np

CLASSES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
KINDS = ("polri", "tni", "linmas")
EARTH_KM = 6371.0


@dataclass(frozen=True)
class Pattern:
    """Polri and TNI per N TPS, Linmas per TPS, and the weight of one unmet person."""

    polri: int
    polri_tps: int
    tni: int
    tni_tps: int
    linmas_per_tps: int
    weight: int


# Polri national Pilkada 2020 (DOMAIN 3): 2 officers per 10, 2, 1 and 1 TPS; 2 Linmas per TPS.
# The TNI ratios are our assumption (Polda Kaltim 2024: TNI about 0.4 of Polri), editable as data.
NATIONAL_DEFAULT = {
    "kurang_rawan": Pattern(2, 10, 1, 10, 2, 1),
    "rawan": Pattern(2, 2, 1, 4, 2, 3),
    "sangat_rawan": Pattern(2, 1, 1, 2, 2, 6),
    "khusus": Pattern(2, 1, 1, 2, 2, 6),
}


@dataclass
class Post:
    key: str  # group key, e.g. the kecamatan code
    tps_class: str
    tps: list[int] = field(default_factory=list)  # indices into the caller's TPS arrays
    lat: float = 0.0
    lng: float = 0.0


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance; works on scalars and NumPy arrays alike."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lng2) - np.radians(lng1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def group_posts(
    keys: list[str],
    classes: list[str],
    lat: np.ndarray,
    lng: np.ndarray,
    patterns: dict[str, dict[str, Pattern]],
    *,
    radius_km: float = 3.0,
) -> list[Post]:
    """Posts per (key, class): seed at the first remaining TPS in input order (sort by code for
    stable output), add its nearest remaining neighbours within `radius_km`, up to the pattern's size.

    `patterns[key][class]` gives the pattern for that group (Polres overrides already applied)."""
    buckets: dict[tuple[str, str], list[int]] = {}
    for index, (key, cls) in enumerate(zip(keys, classes, strict=True)):
        buckets.setdefault((key, cls), []).append(index)
    posts: list[Post] = []
    for (key, cls), members in buckets.items():
        size = max(1, patterns[key][cls].polri_tps)
        posts.extend(_chunk(key, cls, np.array(members), lat, lng, size, radius_km))
    return posts


def _chunk(key: str, cls: str, members: np.ndarray, lat, lng, size: int, radius_km: float) -> list[Post]:
    posts = []
    remaining = members
    while remaining.size:
        seed = remaining[0]
        if size == 1:
            chosen = remaining[:1]
        else:
            dist = haversine_km(lat[seed], lng[seed], lat[remaining], lng[remaining])
            order = np.argsort(dist, kind="stable")
            near = order[dist[order] <= radius_km][:size]
            chosen = remaining[near]
        keep = np.ones(remaining.size, dtype=bool)
        keep[np.isin(remaining, chosen)] = False
        remaining = remaining[keep]
        posts.append(Post(key, cls, [int(i) for i in chosen], float(np.mean(lat[chosen])), float(np.mean(lng[chosen]))))
    return posts


def post_demand(n_tps: int, pattern: Pattern) -> dict[str, int]:
    """People a post of `n_tps` TPS needs under `pattern`, per kind. A pattern's team guards up to
    its N TPS whole: 2 officers per 10 TPS means 2 officers for a post of 3 TPS too."""
    return {
        "polri": math.ceil(n_tps / pattern.polri_tps) * pattern.polri if pattern.polri_tps else 0,
        "tni": math.ceil(n_tps / pattern.tni_tps) * pattern.tni if pattern.tni_tps else 0,
        "linmas": n_tps * pattern.linmas_per_tps,
    }
