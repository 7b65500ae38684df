"""Small instances with known optimal plans, checked against the solver and the greedy baseline."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.deployment import planner
from sinergi.deployment.planner import Instance


def instance(amount, weight, supply, arcs) -> Instance:
    rows, pools, costs = zip(*arcs, strict=True)
    return Instance(
        np.array(amount), np.array(weight), np.array(supply), np.array(rows), np.array(pools), np.array(costs, float)
    )


def test_solver_leaves_the_scarce_pool_to_the_row_that_has_no_other():
    # Row 1 (weight 3) can use P0 (1 km) or P1 (5 km); row 0 only P0. Greedy gives P0 to row 1 first.
    inst = instance([2, 2], [1, 3], [2, 2], [(0, 0, 1.0), (1, 0, 1.0), (1, 1, 5.0)])
    best = planner.solve(inst)
    assert best.method == "highs"
    assert best.unmet_weighted == 0
    assert best.travel == pytest.approx(12.0)
    assert list(best.arc_flow) == [2, 0, 2]
    assert planner.greedy(inst).unmet_weighted == 2


def test_unmet_demand_goes_where_the_risk_weight_is_lowest():
    # One pool of 3 people, two rows of 2: the weight-6 row is served in full.
    inst = instance([2, 2], [1, 6], [3], [(0, 0, 0.0), (1, 0, 9.0)])
    best = planner.solve(inst)
    assert list(best.shortfall) == [1, 0]
    assert best.unmet_weighted == 1


def test_travel_is_minimised_once_unmet_demand_is_least():
    inst = instance([3], [1], [2, 5], [(0, 0, 10.0), (0, 1, 2.0)])
    best = planner.solve(inst)
    assert list(best.arc_flow) == [0, 3]
    assert best.travel == pytest.approx(6.0)
    assert best.gap == pytest.approx(0.0, abs=1e-6)


def test_the_plan_is_the_solver_optimum_not_its_phase_one_start():
    # Small enough for HiGHS's presolve to solve phase 2 outright, which once returned the start's values.
    arcs = [(4, p, c) for p, c in enumerate([0, 0, 1, 1, 1])] + [(5, 0, 0.0), (5, 1, 0.0), (5, 2, 2.0)]
    arcs += [(6, p, c) for p, c in enumerate([0, 0, 0, 1, 0])]
    inst = instance([0, 0, 0, 0, 1, 3, 1, 0], [1] * 8, [0, 1, 3, 1, 1], [(r, p, float(c)) for r, p, c in arcs])
    best = planner.solve(inst)
    assert best.unmet_weighted == 0
    assert best.travel == pytest.approx(5.0)
    assert best.gap == pytest.approx(0.0, abs=1e-6)


def test_lp_bound_never_exceeds_the_plan():
    inst = instance([2, 3, 1], [1, 3, 6], [2, 2], [(0, 0, 1.0), (1, 0, 2.0), (1, 1, 4.0), (2, 1, 1.0)])
    unmet_bound, travel_bound = planner.lp_bound(inst)
    best = planner.solve(inst)
    assert unmet_bound <= best.unmet_weighted + 1e-6
    assert travel_bound <= best.travel + 1e-6


@st.composite
def instances(draw):
    n_rows, n_pools = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    amount = draw(st.lists(st.integers(0, 6), min_size=n_rows, max_size=n_rows))
    weight = draw(st.lists(st.sampled_from([1, 3, 6]), min_size=n_rows, max_size=n_rows))
    supply = draw(st.lists(st.integers(0, 8), min_size=n_pools, max_size=n_pools))
    arcs = []
    for r in range(n_rows):
        for p in draw(st.sets(st.integers(0, n_pools - 1), min_size=0, max_size=n_pools)):
            arcs.append((r, p, float(draw(st.integers(0, 30)))))
    arcs.sort()
    if not arcs:
        arcs = [(0, 0, 1.0)]
    return instance(amount, weight, supply, arcs)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_supply_and_demand_are_never_exceeded_and_the_solver_beats_greedy(inst):
    for plan in (planner.solve(inst), planner.greedy(inst)):
        used = np.bincount(inst.arc_pool, weights=plan.arc_flow, minlength=inst.n_pools)
        served = np.bincount(inst.arc_row, weights=plan.arc_flow, minlength=inst.n_rows)
        assert (plan.arc_flow >= 0).all()
        assert (used <= inst.pool_supply).all()
        assert (served <= inst.row_amount).all()
        assert (plan.shortfall == inst.row_amount - served).all()
    best, baseline = planner.solve(inst), planner.greedy(inst)
    assert best.unmet_weighted <= baseline.unmet_weighted
    if best.unmet_weighted == baseline.unmet_weighted:
        assert best.travel <= baseline.travel + 1e-6
