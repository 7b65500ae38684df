"""A deterministic synthetic voting day: who reports what and when, as plain data (no ORM).

Final turnout per TPS is drawn around a per-kecamatan level and then adjusted so that the region's
total voters is exactly `total_voters` (e.g. Kukar 2024: 392,161 of 552,469 = 70.98 %). Intraday
checkpoints report a monotone share of the final; a few TPS report late, a few never report a
checkpoint, and a few reports are suspect so the quality rules flag them.

A `DayPattern` (`pattern_draw`) makes other days for the projection's coverage study
(`turnout.coverage`): the region votes earlier or later than usual, kecamatan unevenly, whole
kecamatan stay silent for a checkpoint, and the slowest TPS are the likeliest to be missing.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np

from sinergi.areas.codes import KECAMATAN_DEPTH, ancestor_at

# checkpoint code -> (mean share of the final reached by then, local hour, local minute)
INTRADAY = {"09": 0.38, "11": 0.74, "13": 0.985}


@dataclass(frozen=True)
class DayPattern:
    """How a synthetic day departs from the usual one (`INTRADAY` shares, random gaps)."""

    pace: dict[str, float]  # the region's share at each checkpoint, as a multiple of the usual one
    kecamatan_spread: float  # sd (log scale) of a kecamatan's pace around the region's, at 09.00
    missing: dict[str, int]  # TPS silent at each checkpoint
    silent_kecamatan: int  # whole kecamatan silent at 09.00 and 11.00 (a dead zone, a late PPK)
    slow_missing: float  # share of the silent TPS taken from the slowest third instead of at random


# How much a region's pace varies from day to day (sd of the log of the share reached by a checkpoint):
# rain or a long queue at 07.00 moves the morning far more than the closing hour.
DAY_PACE_SD = {"09": 0.12, "11": 0.06, "13": 0.006}


def pattern_draw(seed: int, tps_count: int) -> DayPattern:
    """One random pattern of late and uneven reporting (deterministic per seed)."""
    rng = np.random.default_rng(seed)
    return DayPattern(
        pace={cp: float(np.exp(rng.normal(0.0, sd))) for cp, sd in DAY_PACE_SD.items()},
        kecamatan_spread=float(rng.uniform(0.0, 0.15)),
        missing={
            "09": int(tps_count * rng.uniform(0.01, 0.30)),
            "11": int(tps_count * rng.uniform(0.01, 0.20)),
            "13": int(tps_count * rng.uniform(0.0, 0.10)),
        },
        silent_kecamatan=int(rng.integers(0, 4)),
        slow_missing=float(rng.uniform(0.0, 0.6)),
    )


def _pattern_shares(codes: list[str], pattern: DayPattern, seed: int) -> dict[str, np.ndarray]:
    """The mean share of its final each TPS has reached by each checkpoint under `pattern`, at most 1."""
    rng = np.random.default_rng(seed + 1)
    kecamatan = [ancestor_at(c, KECAMATAN_DEPTH) for c in codes]
    names = sorted(set(kecamatan))
    deviation = dict(zip(names, rng.normal(0, pattern.kecamatan_spread, len(names)), strict=True))
    dev = np.array([deviation[k] for k in kecamatan])
    shares = {}
    for cp, usual in INTRADAY.items():
        fade = (1 - usual) / (1 - INTRADAY["09"])  # kecamatan differ most in the morning
        shares[cp] = np.minimum(usual * pattern.pace[cp] * np.exp(dev * fade), 1.0)
    return shares


def _pattern_silent(codes: list[str], pattern: DayPattern, shares: dict[str, np.ndarray], seed: int) -> dict:
    """The TPS silent at each checkpoint: some at random, some among the slowest, whole kecamatan."""
    rng = np.random.default_rng(seed + 2)
    n = len(codes)
    names = sorted({ancestor_at(c, KECAMATAN_DEPTH) for c in codes})
    dead = set(rng.choice(names, size=min(pattern.silent_kecamatan, len(names) - 1), replace=False).tolist())
    silent = {}
    for cp, count in pattern.missing.items():
        slow_count = int(count * pattern.slow_missing)
        slowest = np.argsort(shares[cp], kind="stable")[: max(n // 3, 1)]
        chosen = set(rng.choice(slowest, size=min(slow_count, len(slowest)), replace=False).tolist())
        rest = rng.permutation(n)
        chosen |= set(rest[: max(count - len(chosen), 0)].tolist())
        if cp in ("09", "11"):
            chosen |= {i for i, c in enumerate(codes) if ancestor_at(c, KECAMATAN_DEPTH) in dead}
        silent[cp] = chosen
    return silent


@dataclass(frozen=True)
class PlannedReport:
    tps_code: str
    checkpoint: str
    voters: int
    local_at: dt.datetime  # naive local time on voting day
    reporter: str  # "primary" or "second"
    extra: dict = field(default_factory=dict)


def final_voters(codes: list[str], dpt: np.ndarray, total_voters: int, seed: int) -> np.ndarray:
    """Final voters per TPS summing exactly to `total_voters`, never above the DPT."""
    rng = np.random.default_rng(seed)
    kecamatan = sorted({ancestor_at(c, KECAMATAN_DEPTH) for c in codes})
    level = dict(zip(kecamatan, rng.normal(0, 0.06, len(kecamatan)), strict=True))
    base = total_voters / dpt.sum()
    rate = np.clip(
        base + np.array([level[ancestor_at(c, KECAMATAN_DEPTH)] for c in codes]) + rng.normal(0, 0.05, len(codes)),
        0.3,
        0.97,
    )
    voters = np.minimum(np.floor(rate * dpt).astype(int), dpt)
    gap = int(total_voters - voters.sum())
    order = rng.permutation(len(codes))
    step = 1 if gap > 0 else -1
    while gap:
        for i in order:
            if gap == 0:
                break
            if 0 <= voters[i] + step <= dpt[i]:
                voters[i] += step
                gap -= step
    return voters


def plan_day(
    codes: list[str],
    dpt: list[int],
    *,
    total_voters: int,
    voting_date: dt.date,
    seed: int = 2024,
    missing: dict[str, int] | None = None,
    late: int = 6,
    suspects: int = 4,
    pattern: DayPattern | None = None,
) -> list[PlannedReport]:
    """Every report of the day in time order (under `pattern`, another day than the usual one)."""
    rng = random.Random(seed)
    dpt_arr = np.array(dpt, dtype=int)
    final = final_voters(codes, dpt_arr, total_voters, seed)
    if pattern is not None:
        shares = _pattern_shares(codes, pattern, seed)
        skip = _pattern_silent(codes, pattern, shares, seed)
    else:
        missing = missing if missing is not None else {"09": 40, "11": 18, "13": 8}
        skip = {cp: set(rng.sample(range(len(codes)), min(n, len(codes)))) for cp, n in missing.items()}
    reports: list[PlannedReport] = []
    previous = [0] * len(codes)
    for cp, usual in INTRADAY.items():
        hour = int(cp)
        for i, code in enumerate(codes):
            share = usual if pattern is None else float(shares[cp][i])
            voters = max(previous[i], min(int(final[i]), int(final[i] * rng.gauss(share, 0.04))))
            previous[i] = voters
            if i in skip[cp]:
                continue
            at = dt.datetime.combine(voting_date, dt.time(hour)) + dt.timedelta(minutes=rng.randint(2, 45))
            reports.append(PlannedReport(code, cp, voters, at, "primary"))
    reports += _final_reports(codes, final, dpt_arr, voting_date, rng)
    reports = _late(reports, rng, late)
    reports += _suspects(reports, rng, suspects)
    return sorted(reports, key=lambda r: (r.local_at, r.tps_code))


def _final_reports(codes, final, dpt, voting_date, rng) -> list[PlannedReport]:
    out = []
    for i, code in enumerate(codes):
        voters = int(final[i])
        dpk = min(voters, rng.randint(0, 3))
        dptb = min(voters - dpk, rng.randint(0, 6))
        invalid = min(voters, rng.randint(0, 8))
        extra = {
            "voted_dpt": voters - dptb - dpk,
            "voted_dptb": dptb,
            "voted_dpk": dpk,
            "valid_ballots": voters - invalid,
            "invalid_ballots": invalid,
        }
        at = dt.datetime.combine(voting_date, dt.time(15)) + dt.timedelta(minutes=rng.randint(0, 240))
        out.append(PlannedReport(code, "final", voters, at, "primary", extra))
    return out


def _late(reports: list[PlannedReport], rng: random.Random, count: int) -> list[PlannedReport]:
    """Push a few intraday reports far past their checkpoint (flagged off_schedule)."""
    intraday = [i for i, r in enumerate(reports) if r.checkpoint != "final"]
    for i in rng.sample(intraday, min(count, len(intraday))):
        r = reports[i]
        reports[i] = PlannedReport(
            r.tps_code, r.checkpoint, r.voters, r.local_at + dt.timedelta(minutes=200), r.reporter
        )
    return reports


def _suspects(reports: list[PlannedReport], rng: random.Random, count: int) -> list[PlannedReport]:
    """A second reporter disagreeing on a few 13.00 slots (flagged disagreement)."""
    at13 = [r for r in reports if r.checkpoint == "13"]
    out = []
    for r in rng.sample(at13, min(count, len(at13))):
        out.append(
            PlannedReport(
                r.tps_code, r.checkpoint, max(r.voters - 25, 0), r.local_at + dt.timedelta(minutes=5), "second"
            )
        )
    return out
