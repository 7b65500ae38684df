"""Kukar deployment plan: HiGHS against the greedy baseline and the LP bound, in the same run.

    python benchmarks/deployment_kukar.py [--repeat 3]

Reports build and solve times, the greedy time as baseline, and both objectives (risk-weighted
unmet demand, then person-km) for greedy, HiGHS and the LP relaxation bound.
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

import deployment_instances as data

from sinergi.deployment import instances, planner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codes, classes, sources, lat, lng, units, linmas = data.kukar()
    build_s, greedy_s, solve_s = [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        built = instances.build(codes, classes, sources, lat, lng, units, linmas, {}, data.OPTIONS)
        t1 = time.perf_counter()
        baseline = planner.greedy(built.instance)
        t2 = time.perf_counter()
        best = planner.solve(built.instance, time_limit=60)
        t3 = time.perf_counter()
        build_s.append(t1 - t0)
        greedy_s.append(t2 - t1)
        solve_s.append(t3 - t2)
    unmet_lp, travel_lp = planner.lp_bound(built.instance)
    inst = built.instance
    print(
        f"Kukar: {len(codes)} TPS, {len(built.posts)} posts, {inst.n_rows} demand rows, {inst.n_pools} pools, {inst.arc_row.size} arcs"
    )
    print(f"demand {int(inst.row_amount.sum())} people, supply {int(inst.pool_supply.sum())}")
    print(
        f"build  {min(build_s):.3f} s   greedy {min(greedy_s):.3f} s   HiGHS {min(solve_s):.3f} s (best of {args.repeat})"
    )
    print(
        f"end to end (build + HiGHS) {min(build_s) + min(solve_s):.3f} s; HiGHS / greedy time = {min(solve_s) / min(greedy_s):.1f}x"
    )
    print(f"{'':8} {'unmet (weighted)':>17} {'person-km':>12}")
    print(f"{'greedy':8} {baseline.unmet_weighted:17.0f} {baseline.travel:12.1f}")
    print(f"{'HiGHS':8} {best.unmet_weighted:17.0f} {best.travel:12.1f}   status {best.status}")
    print(f"{'LP bound':8} {unmet_lp:17.1f} {travel_lp:12.1f}")
    print(f"HiGHS gap to its own bound: travel {best.gap:.4%}, unmet {best.unmet_gap:.4%}")
    travel_gap_lp = (best.travel - travel_lp) / best.travel if best.travel else 0.0
    print(f"HiGHS vs LP bound: unmet +{best.unmet_weighted - unmet_lp:.1f}, travel gap {travel_gap_lp:.4%}")
    improved = baseline.unmet_weighted - best.unmet_weighted
    print(
        f"greedy leaves {improved:.0f} more weighted unmet demand ({improved / max(best.unmet_weighted, 1):.1%} of HiGHS's)"
    )


if __name__ == "__main__":
    main()
