"""The projection's coverage study: does the 95 % band hold the final turnout? Plain data, no ORM.

Many synthetic voting days (`plan.plan_day` under a random `plan.DayPattern`: the region votes earlier
or later than usual, kecamatan unevenly, whole kecamatan and the slowest TPS report late) are looked
at the way the board sees them: at each intraday checkpoint, some minutes after it, the latest report
of each TPS counts unless two reporters disagree (the slot is held, `quality.HOLDING_RULES`). Each view
is projected with the calibrated band (`projection.final_band`) and with the naive one
(`projection.scale_to_final` of the sampling band), and compared with the day's true final.
"""

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sinergi.areas.calibration import DesaWeight, calibrate
from sinergi.areas.codes import KECAMATAN_DEPTH, ancestor_at
from sinergi.turnout import projection
from sinergi.turnout.plan import INTRADAY, PlannedReport, pattern_draw, plan_day

VOTING_DATE = dt.date(2024, 11, 27)
VIEW_MINUTES = (20, 60)  # the board looked at 20 minutes (half the reports in) and an hour after
KUKAR_DESA = Path(__file__).resolve().parents[1] / "areas" / "data" / "kukar_desa_master.csv"


@dataclass(frozen=True)
class Outcome:
    day: int
    checkpoint: str
    minutes_after: int
    final_pct: float
    estimate: float
    low: float
    high: float
    naive_low: float
    naive_high: float

    @property
    def covered(self) -> bool:
        return self.low <= self.final_pct <= self.high

    @property
    def naive_covered(self) -> bool:
        return self.naive_low <= self.final_pct <= self.naive_high


def kukar_stations() -> tuple[list[str], np.ndarray]:
    """Kukar's 1,447 demo TPS (the calibrated stand-in list the demo loads) and their DPT."""
    with KUKAR_DESA.open(encoding="utf-8") as handle:
        desa = [
            DesaWeight(r["code"], r["name"], int(r["tps_pemilu2024_regular"]), None, None)
            for r in csv.DictReader(handle)
        ]
    specs = calibrate(desa)
    return [s.code for s in specs], np.array([s.dpt_male + s.dpt_female for s in specs], dtype=float)


def board_view(
    plan: list[PlannedReport], codes: list[str], checkpoint: str, until: dt.datetime | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(voters, counted) per TPS at a checkpoint as the board shows it at `until` (local, naive; None:
    after the whole day): the latest report counts, a slot where two reporters disagree is held."""
    index = {code: i for i, code in enumerate(codes)}
    voters = np.zeros(len(codes))
    counted = np.zeros(len(codes), dtype=bool)
    last: dict[int, tuple[int, str]] = {}
    for report in plan:
        if report.checkpoint != checkpoint or (until is not None and report.local_at > until):
            continue
        i = index[report.tps_code]
        prior = last.get(i)
        disagrees = prior is not None and prior[0] != report.voters and prior[1] != report.reporter
        last[i] = (report.voters, report.reporter)
        voters[i], counted[i] = report.voters, not disagrees
    return voters, counted


def strata_of(codes: list[str], dpt: np.ndarray, voters: np.ndarray, counted: np.ndarray) -> projection.Strata:
    """The per-kecamatan sums the roll-up query returns (`selectors.area_turnout`), from per-TPS arrays."""
    _, group = np.unique([ancestor_at(c, KECAMATAN_DEPTH) for c in codes], return_inverse=True)
    y, x = np.where(counted, voters, 0.0), np.where(counted, dpt, 0.0)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(group, weights=values)

    return projection.Strata(
        tps=total(np.ones(len(codes))),
        dpt=total(dpt),
        reported=total(counted.astype(float)),
        y=total(y),
        x=total(x),
        yy=total(y * y),
        xy=total(x * y),
        xx=total(x * x),
    )


def day_outcomes(codes: list[str], dpt: np.ndarray, day: int, seed: int) -> list[Outcome]:
    """The views of one synthetic day (its own turnout, pattern and plan) and how each band fared."""
    rng = np.random.default_rng(seed * 1000 + day)
    total = int(float(rng.uniform(0.55, 0.82)) * dpt.sum())
    pattern = pattern_draw(seed * 1000 + day, len(codes))
    plan = plan_day(
        codes,
        dpt.astype(int).tolist(),
        total_voters=total,
        voting_date=VOTING_DATE,
        seed=seed * 1000 + day,
        pattern=pattern,
    )
    final_pct = 100 * total / float(dpt.sum())
    outcomes = []
    for checkpoint, share in INTRADAY.items():
        for minutes in VIEW_MINUTES:
            until = dt.datetime.combine(VOTING_DATE, dt.time(int(checkpoint))) + dt.timedelta(minutes=minutes)
            strata = strata_of(codes, dpt, *board_view(plan, codes, checkpoint, until))
            band = projection.final_band(strata, share)
            naive = projection.scale_to_final(projection.project(strata), share)
            if band.pct is None or naive.low is None or naive.high is None:
                continue
            outcomes.append(
                Outcome(
                    day,
                    checkpoint,
                    minutes,
                    final_pct,
                    band.pct,
                    band.low or 0.0,
                    band.high or 0.0,
                    naive.low,
                    naive.high,
                )
            )
    return outcomes


def study(codes: list[str], dpt: np.ndarray, *, days: int, seed: int) -> list[Outcome]:
    return [outcome for day in range(days) for outcome in day_outcomes(codes, dpt, day, seed)]


def coverage(outcomes: list[Outcome], *, naive: bool = False) -> float:
    hits = [o.naive_covered if naive else o.covered for o in outcomes]
    return float(np.mean(hits)) if hits else 0.0
