"""A deterministic synthetic voting day: who reports what and when, as plain data (no ORM).

Final turnout per TPS is drawn around a per-kecamatan level and then adjusted so that the region's
total voters is exactly `total_voters` (e.g. Kukar 2024: 392,161 of 552,469 = 70.98 %). Intraday
checkpoints report a monotone share of the final; a few TPS report late, a few never report a
checkpoint, and a few reports are suspect so the quality rules flag them.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np

from sinergi.areas.codes import KECAMATAN_DEPTH, ancestor_at

# checkpoint code -> (mean share of the final reached by then, local hour, local minute)
INTRADAY = {"09": 0.38, "11": 0.74, "13": 0.985}


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
    rate = np.clip(base + np.array([level[ancestor_at(c, KECAMATAN_DEPTH)] for c in codes]) + rng.normal(0, 0.05, len(codes)), 0.3, 0.97)
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
) -> list[PlannedReport]:
    """Every report of the day in time order."""
    rng = random.Random(seed)
    dpt_arr = np.array(dpt, dtype=int)
    final = final_voters(codes, dpt_arr, total_voters, seed)
    missing = missing if missing is not None else {"09": 40, "11": 18, "13": 8}
    skip = {cp: set(rng.sample(range(len(codes)), min(n, len(codes)))) for cp, n in missing.items()}
    reports: list[PlannedReport] = []
    previous = [0] * len(codes)
    for cp, share in INTRADAY.items():
        hour = int(cp)
        for i, code in enumerate(codes):
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
