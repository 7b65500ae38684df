"""Scoring and roll-ups of TPS checklists: plain NumPy in, plain NumPy out, no ORM.

A TPS's "yes" answers are a bit mask in indicator-position order. Definitions (docs/risk.md):
- TPS score = sum of the weights of its yes indicators; a TPS is flagged when its score is above 0.
- A variable is flagged at a TPS when any of its indicators is yes.
- Area index (0-100) = 100 x sum_v(w_v x flagged_v / assessed) / sum_v(w_v), over the TPS assessed in the area.
- Category = the highest threshold whose lower bound is at most the index.
- Security class = the strictest class among the rules that match (khusus beats all); none matching: kurang rawan.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

CLASS_NAMES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")


@dataclass(frozen=True)
class Scheme:
    """An instrument version reduced to arrays. Column j is the indicator at bit `positions[j]`."""

    codes: list[str]
    positions: NDArray[np.int64]
    weights: NDArray[np.float64]
    variable_of: NDArray[np.int64]  # column -> variable index
    variable_codes: list[str]
    variable_weights: NDArray[np.float64]
    rules: list["Rule"]

    @property
    def columns(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class Rule:
    rank: int  # index into CLASS_NAMES
    columns: NDArray[np.int64]
    min_yes: int
    special_location: bool


@dataclass
class Rollup:
    """Counts per group (rows), as arrays; every field is additive over groups."""

    assessed: NDArray[np.int64]
    flagged: NDArray[np.int64]
    score_sum: NDArray[np.float64]
    by_indicator: NDArray[np.int64]  # (groups, indicators)
    by_variable: NDArray[np.int64]  # (groups, variables)
    by_class: NDArray[np.int64]  # (groups, 4)


def unpack(masks: NDArray[np.int64], scheme: Scheme) -> NDArray[np.bool_]:
    """(n, indicators) booleans from n bit masks."""
    masks = np.asarray(masks, dtype=np.int64)
    return ((masks[:, None] >> scheme.positions[None, :]) & 1).astype(bool)


def pack(yes_codes: Sequence[str], scheme: Scheme) -> int:
    column = {code: j for j, code in enumerate(scheme.codes)}
    return int(sum(1 << int(scheme.positions[column[c]]) for c in set(yes_codes)))


def scores(yes: NDArray[np.bool_], scheme: Scheme) -> NDArray[np.float64]:
    return yes.astype(np.float64) @ scheme.weights


def variable_flags(yes: NDArray[np.bool_], scheme: Scheme) -> NDArray[np.bool_]:
    onehot = np.zeros((scheme.columns, len(scheme.variable_codes)), dtype=np.int64)
    onehot[np.arange(scheme.columns), scheme.variable_of] = 1
    return (yes.astype(np.int64) @ onehot) > 0


def security_ranks(yes: NDArray[np.bool_], special: NDArray[np.bool_], scheme: Scheme) -> NDArray[np.int64]:
    ranks = np.zeros(len(yes), dtype=np.int64)
    for rule in scheme.rules:
        hits = yes[:, rule.columns].sum(axis=1) >= rule.min_yes if len(rule.columns) else np.zeros(len(yes), bool)
        if rule.special_location:
            hits = hits | special
        ranks = np.where(hits, np.maximum(ranks, rule.rank), ranks)
    return ranks


def assess(masks: NDArray[np.int64], special: NDArray[np.bool_], scheme: Scheme):
    """Per TPS: (yes matrix, score, variable flags, security rank)."""
    yes = unpack(masks, scheme)
    return yes, scores(yes, scheme), variable_flags(yes, scheme), security_ranks(yes, special, scheme)


def rollup(groups: NDArray[np.int64], count: int, masks: NDArray[np.int64], special, scheme: Scheme) -> Rollup:
    """Counts per group for TPS rows assigned to `groups` (0..count-1)."""
    return rollup_assessed(groups, count, assess(masks, special, scheme))


def rollup_assessed(groups: NDArray[np.int64], count: int, assessed: tuple) -> Rollup:
    """As `rollup`, from the output of `assess` (so a recompute scores each TPS once)."""
    yes, score, var_flags, ranks = assessed
    return Rollup(
        assessed=np.bincount(groups, minlength=count).astype(np.int64),
        flagged=np.bincount(groups, weights=score > 0, minlength=count).astype(np.int64),
        score_sum=np.bincount(groups, weights=score, minlength=count).astype(np.float64),
        by_indicator=_count_columns(groups, yes, count),
        by_variable=_count_columns(groups, var_flags, count),
        by_class=_count_columns(groups, np.eye(len(CLASS_NAMES), dtype=bool)[ranks], count),
    )


def _count_columns(groups: NDArray[np.int64], matrix: NDArray[np.bool_], count: int) -> NDArray[np.int64]:
    out = np.zeros((count, matrix.shape[1]), dtype=np.int64)
    for j in range(matrix.shape[1]):
        out[:, j] = np.bincount(groups, weights=matrix[:, j], minlength=count)
    return out


def merge(child: Rollup, parent_of: NDArray[np.int64], count: int) -> Rollup:
    """Sum child groups into parent groups (child i belongs to parent `parent_of[i]`)."""

    def add(values: NDArray) -> NDArray:
        out = np.zeros((count, *values.shape[1:]), dtype=values.dtype)
        np.add.at(out, parent_of, values)
        return out

    return Rollup(
        add(child.assessed),
        add(child.flagged),
        add(child.score_sum),
        add(child.by_indicator),
        add(child.by_variable),
        add(child.by_class),
    )


def indices(by_variable: NDArray[np.int64], assessed: NDArray[np.int64], scheme: Scheme) -> NDArray[np.float64]:
    by_variable = np.atleast_2d(by_variable).astype(np.float64)
    assessed = np.atleast_1d(assessed).astype(np.float64)
    total = scheme.variable_weights.sum()
    if total <= 0:
        return np.zeros(len(assessed))
    shares = np.divide(by_variable, assessed[:, None], out=np.zeros_like(by_variable), where=assessed[:, None] > 0)
    return np.round(100 * (shares @ scheme.variable_weights) / total, 2)


def categories(values: NDArray[np.float64], bounds: Sequence[tuple[float, str]]) -> list[str]:
    """Category names for index values; `bounds` are (lower bound, name), any order."""
    ordered = sorted(bounds)
    if not ordered:
        return ["rendah"] * len(values)
    lows = np.array([low for low, _ in ordered])
    names = np.array([name for _, name in ordered])
    slots = np.maximum(np.searchsorted(lows, np.asarray(values), side="right") - 1, 0)
    return names[slots].tolist()
