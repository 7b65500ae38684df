"""National deployment instance: 435,296 synthetic TPS decomposed into ~500 Polres, each built and
solved end to end (grouping, demand, HiGHS two-phase MIP), with the greedy plan as the baseline
measured in the same run.

    python benchmarks/deployment_national.py                 # every 5th Polres, extrapolated
    python benchmarks/deployment_national.py --fraction 1    # the whole nation

Polres are independent (a post is only served by units of its own Polres), so the nation is the sum
of its Polres; a fraction is a systematic sample (every k-th Polres) and the total time is
extrapolated linearly, clearly labelled as such.
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

import deployment_instances as data
import numpy as np

from sinergi.deployment import instances, planner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fraction", type=float, default=0.2)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    sizes = np.full(data.NATIONAL_POLRES, data.NATIONAL_TPS // data.NATIONAL_POLRES)
    sizes[: data.NATIONAL_TPS % data.NATIONAL_POLRES] += 1
    step = max(1, round(1 / args.fraction))
    chosen = list(range(0, data.NATIONAL_POLRES, step))
    totals = {"tps": 0, "posts": 0, "arcs": 0, "build": 0.0, "solve": 0.0, "greedy": 0.0}
    objective = {"highs": [0.0, 0.0], "greedy": [0.0, 0.0]}
    worst_gap, worst_unmet_gap, fallbacks, worst_solve = 0.0, 0.0, 0, 0.0
    for i in chosen:
        codes, classes, sources, lat, lng, units, linmas = data.polres(i, int(sizes[i]))
        t0 = time.perf_counter()
        built = instances.build(codes, classes, sources, lat, lng, units, linmas, {}, data.OPTIONS)
        t1 = time.perf_counter()
        best = planner.solve(built.instance, time_limit=args.time_limit)
        t2 = time.perf_counter()
        baseline = planner.greedy(built.instance)
        t3 = time.perf_counter()
        totals["tps"] += len(codes)
        totals["posts"] += len(built.posts)
        totals["arcs"] += built.instance.arc_row.size
        totals["build"] += t1 - t0
        totals["solve"] += t2 - t1
        totals["greedy"] += t3 - t2
        worst_solve = max(worst_solve, t2 - t1)
        objective["highs"][0] += best.unmet_weighted
        objective["highs"][1] += best.travel
        objective["greedy"][0] += baseline.unmet_weighted
        objective["greedy"][1] += baseline.travel
        fallbacks += best.method != "highs"
        if best.method == "highs":
            worst_gap, worst_unmet_gap = max(worst_gap, best.gap), max(worst_unmet_gap, best.unmet_gap)
    scale = data.NATIONAL_TPS / totals["tps"]
    measured = totals["build"] + totals["solve"]
    label = (
        "measured" if len(chosen) == data.NATIONAL_POLRES else f"EXTRAPOLATED x{scale:.2f} from {len(chosen)} Polres"
    )
    print(
        f"Polres solved: {len(chosen)} of {data.NATIONAL_POLRES} ({totals['tps']:,} TPS, {totals['posts']:,} posts, {totals['arcs']:,} arcs)"
    )
    print(
        f"measured: build {totals['build']:.1f} s + HiGHS {totals['solve']:.1f} s = {measured:.1f} s; greedy {totals['greedy']:.2f} s"
    )
    print(f"nation end to end (build + HiGHS), {label}: {measured * scale:.0f} s = {measured * scale / 60:.1f} min")
    print(f"slowest Polres solve {worst_solve:.2f} s; HiGHS / greedy time = {totals['solve'] / totals['greedy']:.0f}x")
    print(
        f"worst gap to the solver's bound: travel {worst_gap:.4%}, unmet {worst_unmet_gap:.4%}; greedy fallbacks: {fallbacks}"
    )
    h, g = objective["highs"], objective["greedy"]
    print(
        f"weighted unmet: HiGHS {h[0]:.0f} vs greedy {g[0]:.0f}; person-km: HiGHS {h[1]:.0f} vs greedy {g[1]:.0f} ({g[1] / h[1]:.2f}x)"
    )


if __name__ == "__main__":
    main()
