"""The projection's coverage study: over many synthetic voting days on Kukar's 1,447 TPS, how often the
nominal 95 % band of the projected final turnout holds the true final, by checkpoint, and how wide it
is, for the calibrated band (`projection.final_band`) and today's naive band (`scale_to_final` of the
sampling band) in the same run. Pure NumPy and the plan generator; no database.

    python benchmarks/projection_coverage.py [--days 200] [--seed 2026]

The pace constants (`projection.PACE_SPREADS`) were chosen on --seed 99; report other seeds.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from sinergi.turnout import coverage, projection
    from sinergi.turnout.plan import INTRADAY

    codes, dpt = coverage.kukar_stations()
    started = time.perf_counter()
    outcomes = coverage.study(codes, dpt, days=args.days, seed=args.seed)
    seconds = time.perf_counter() - started
    print(f"{args.days} days x {len(INTRADAY)} checkpoints x {len(coverage.VIEW_MINUTES)} views, seed {args.seed}:")
    print(f"{len(outcomes)} views on {len(codes)} TPS in {seconds:.1f} s\n")
    print("| checkpoint | view | calibrated coverage | mean width | naive coverage | naive mean width |")
    print("|---|---|---|---|---|---|")
    for checkpoint in INTRADAY:
        for minutes in coverage.VIEW_MINUTES:
            views = [o for o in outcomes if o.checkpoint == checkpoint and o.minutes_after == minutes]
            width = np.mean([o.high - o.low for o in views])
            naive_width = np.mean([o.naive_high - o.naive_low for o in views])
            print(
                f"| {checkpoint}.00 | +{minutes} min | {coverage.coverage(views):.1%} | {width:.2f} pts "
                f"| {coverage.coverage(views, naive=True):.1%} | {naive_width:.2f} pts |"
            )
    width = np.mean([o.high - o.low for o in outcomes])
    naive_width = np.mean([o.naive_high - o.naive_low for o in outcomes])
    print(
        f"| all | | {coverage.coverage(outcomes):.1%} | {width:.2f} pts "
        f"| {coverage.coverage(outcomes, naive=True):.1%} | {naive_width:.2f} pts |"
    )
    errors = np.array([o.estimate - o.final_pct for o in outcomes])
    print(f"\npoint estimate minus final: mean {errors.mean():+.2f} pts, sd {errors.std():.2f} pts")
    _per_request(codes, dpt, projection, coverage)


def _per_request(codes, dpt, projection, coverage) -> None:
    """What one board request pays for the band: the strata of Kukar's 18 kecamatan, both bands."""
    counted = np.ones(len(codes), dtype=bool)
    strata = coverage.strata_of(codes, dpt, np.floor(dpt * 0.5), counted)
    for name, band in (
        ("calibrated final_band", lambda: projection.final_band(strata, 0.74)),
        ("naive scale_to_final(project)", lambda: projection.scale_to_final(projection.project(strata), 0.74)),
    ):
        runs = 2000
        started = time.perf_counter()
        for _ in range(runs):
            band()
        print(f"{name}: {1e6 * (time.perf_counter() - started) / runs:.0f} µs per call")


if __name__ == "__main__":
    main()
