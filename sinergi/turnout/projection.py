"""Projection of turnout from partial reports: a separate ratio estimator per stratum (kecamatan).

Plain NumPy in and out. For stratum k with N_k TPS and DPT X_k, of which n_k reported with voters y
and DPT x, R_k = sum(y)/sum(x) and the projected voters are R_k X_k. The variance of R_k is the usual
ratio-estimator approximation (1 - n/N) s_e^2 / (n xbar^2), s_e^2 = sum (y - R x)^2 / (n - 1), computed
from the sums sum(y^2), sum(xy), sum(x^2) so the database only returns one row per stratum. Strata
with no report borrow the pooled ratio and the spread of ratios between strata.

That band is the sampling error of the checkpoint's turnout only. Turning it into the final turnout
divides by the share of the final usually reached by then (`Checkpoint.expected_share`), and that
share is the larger uncertainty: a day votes earlier or later than usual, which no count of the
morning's reports can reveal. `final_band` adds it: on the log scale, the relative sampling error and
the pace's relative spread (`pace_spread`) add in quadrature, so the band is
`final * exp(±1.96 * sqrt(rel_se² + pace²))`. The pace spread was chosen with the coverage study
(`turnout.coverage`, `benchmarks/projection_coverage.py`, docs/turnout.md): over synthetic days with
other paces and late, uneven and missing reports, the 95 % band covers the final in at least 90 % of
checkpoints. `scale_to_final` (the sampling band divided by the share) is kept as the naive band the
study compares against.
"""

from dataclasses import dataclass

import numpy as np

Z95 = 1.96
# The pace's relative spread (sd of the log of the share of the final reached) by the usual share at a
# checkpoint, interpolated between these points: wide in the morning, small at closing, none once the
# count is final. Chosen on one coverage study (200 days, seed 99) and checked on another (docs/turnout.md).
PACE_SHARES = (0.10, 0.38, 0.74, 0.985, 1.0)
PACE_SPREADS = (0.25, 0.13, 0.065, 0.012, 0.0)


@dataclass(frozen=True)
class Strata:
    """One entry per stratum: all TPS (count, DPT) and the reporting TPS' sums."""

    tps: np.ndarray  # N_k
    dpt: np.ndarray  # X_k
    reported: np.ndarray  # n_k
    y: np.ndarray
    x: np.ndarray
    yy: np.ndarray
    xy: np.ndarray
    xx: np.ndarray


@dataclass(frozen=True)
class Projection:
    pct: float | None
    low: float | None
    high: float | None
    coverage: float  # share of the DPT in reporting TPS


def project(s: Strata) -> Projection:
    """The checkpoint's turnout in the whole area, with its 95 % sampling band."""
    estimate = _estimate(s)
    if estimate is None:
        return Projection(None, None, None, 0.0)
    pct, se, coverage = estimate
    half = Z95 * se
    return Projection(pct, max(pct - half, 0.0), min(pct + half, 100.0), coverage)


def _estimate(s: Strata) -> tuple[float, float, float] | None:
    """(turnout %, its standard error in points, share of the DPT reporting), or None without reports."""
    total_dpt = float(s.dpt.sum())
    if total_dpt == 0 or s.x.sum() == 0:
        return None
    has = (s.reported > 0) & (s.x > 0)
    ratio = np.divide(s.y, s.x, out=np.zeros_like(s.y, dtype=float), where=s.x > 0)
    pooled = float(s.y.sum() / s.x.sum())
    resid = np.maximum(s.yy - 2 * ratio * s.xy + ratio**2 * s.xx, 0.0)  # sum (y - R x)^2 per stratum
    n = s.reported.astype(float)
    dof = n[has].sum() - has.sum()
    pooled_rel = float(resid[has].sum() / dof) if dof > 0 else 0.0
    s_e2 = np.where(n > 1, resid / np.maximum(n - 1, 1), pooled_rel)
    xbar = np.divide(s.x, n, out=np.ones_like(s.x, dtype=float), where=n > 0)
    fpc = np.clip(1 - np.divide(n, s.tps, out=np.ones_like(n), where=s.tps > 0), 0, 1)
    var_r = np.where(has, fpc * s_e2 / np.maximum(n, 1) / xbar**2, 0.0)
    # One reporting stratum: a binomial-like spread, never negative (a confirmed count may exceed the
    # DPT when DPTb and DPK voters came, so the ratio can pass 1).
    between = float(np.var(ratio[has], ddof=1)) if has.sum() > 1 else max(pooled * (1 - pooled), 0.0)
    est = np.where(has, ratio, pooled) * s.dpt
    var = np.where(has, var_r, between) * s.dpt**2
    pct = 100 * float(est.sum()) / total_dpt
    se = 100 * float(np.sqrt(var.sum())) / total_dpt
    return pct, se, float(s.x.sum()) / total_dpt


def pace_spread(share: float) -> float:
    """The relative spread of the share of the final reached at a checkpoint, from day to day."""
    return float(np.interp(share, PACE_SHARES, PACE_SPREADS))


def final_band(s: Strata, share: float) -> Projection:
    """The projected final turnout with a 95 % band that holds both the sampling error of the reports
    so far and the uncertainty of the day's pace (see the module's docstring)."""
    estimate = _estimate(s)
    if estimate is None:
        return Projection(None, None, None, 0.0)
    pct, se, coverage = estimate
    if share <= 0 or share >= 1 or pct <= 0:  # the final count itself: its sampling band
        return Projection(pct, max(pct - Z95 * se, 0.0), min(pct + Z95 * se, 100.0), coverage)
    final = pct / share
    spread = float(np.hypot(se / pct, pace_spread(share)))
    low, high = final * np.exp(-Z95 * spread), final * np.exp(Z95 * spread)
    return Projection(min(final, 100.0), min(float(low), 100.0), min(float(high), 100.0), coverage)


def scale_to_final(p: Projection, share: float) -> Projection:
    """Turn a projected checkpoint turnout into a projected final turnout by the usual pace."""
    if p.pct is None or share <= 0:
        return p
    return Projection(
        min(p.pct / share, 100.0),
        min((p.low or 0.0) / share, 100.0),
        min((p.high or 0.0) / share, 100.0),
        p.coverage,
    )


def strata_from_rows(rows: list[tuple]) -> Strata:
    """Rows of (N, X, n, y, x, yy, xy, xx) as returned by the roll-up query."""
    data = np.array([[float(v or 0) for v in row] for row in rows], dtype=float).reshape(-1, 8)
    return Strata(*(data[:, i] for i in range(8)))
