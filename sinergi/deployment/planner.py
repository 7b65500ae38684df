"""The deployment optimiser. Pure: plain data in and out, no ORM. The model is in docs/deployment.md.

Demand rows (a post's need for one kind of personnel) are served by supply pools (one unit's
organic personnel, or a Polres reserve such as BKO or a rapid-reaction platoon) through arcs that
jurisdiction allows. Lexicographic objective: least risk-weighted unmet demand first, then least
travel (person-km plus a penalty for drawing on reserves). HiGHS solves both phases as MIPs; a
greedy heuristic is the fallback when HiGHS is missing, fails, or runs out of time without an
incumbent, and the baseline the benchmark compares against.
"""

import time
from dataclasses import dataclass, field

import numpy as np

# Exposed for tests, which replace it with None to simulate a machine without HiGHS.
try:
    import highspy
except ImportError:  # pragma: no cover - depends on the installation
    highspy = None  # type: ignore[assignment]

INF = 1e30


@dataclass(frozen=True)
class Instance:
    """Arrays describing one problem; arcs are (row, pool) pairs that jurisdiction allows."""

    row_amount: np.ndarray  # int, people needed per demand row
    row_weight: np.ndarray  # int, risk weight of one unmet person in this row
    pool_supply: np.ndarray  # int, people available per pool
    arc_row: np.ndarray  # int
    arc_pool: np.ndarray  # int
    arc_cost: np.ndarray  # float, km per person plus reserve penalty

    @property
    def n_rows(self) -> int:
        return int(self.row_amount.size)

    @property
    def n_pools(self) -> int:
        return int(self.pool_supply.size)


@dataclass
class Solution:
    method: str  # "highs" or "greedy"
    status: str
    arc_flow: np.ndarray
    shortfall: np.ndarray
    unmet_weighted: float
    travel: float
    unmet_bound: float
    travel_bound: float
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """Relative gap of the travel objective to the solver's bound (the unmet phase is
        reported separately and is closed whenever the solver finishes)."""
        if np.isnan(self.travel_bound):
            return float("nan")
        if self.travel <= 1e-9:
            return 0.0
        return max(0.0, (self.travel - self.travel_bound) / self.travel)

    @property
    def unmet_gap(self) -> float:
        if np.isnan(self.unmet_bound):
            return float("nan")
        if self.unmet_weighted <= 1e-9:
            return 0.0
        return max(0.0, (self.unmet_weighted - self.unmet_bound) / self.unmet_weighted)


def solve(instance: Instance, *, time_limit: float = 20.0, mip_gap: float = 1e-4, use_solver: bool = True) -> Solution:
    """Optimal plan by HiGHS when available, else the greedy plan (with the reason noted)."""
    started = time.perf_counter()
    if not use_solver or highspy is None:
        result = greedy(instance)
        result.notes.append("solver not available: greedy plan" if use_solver else "greedy requested")
        return result
    try:
        result = _solve_highs(instance, time_limit=time_limit, mip_gap=mip_gap)
    except _NoIncumbent as exc:
        result = greedy(instance)
        result.notes.append(f"solver gave no plan ({exc}): greedy plan")
    result.seconds = time.perf_counter() - started
    return result


def greedy(instance: Instance) -> Solution:
    """Rows by weight (highest first), each filled from its cheapest pools with supply left."""
    started = time.perf_counter()
    supply = instance.pool_supply.astype(np.int64).copy()
    flow = np.zeros(instance.arc_row.size, dtype=np.int64)
    order = np.lexsort((instance.arc_cost, instance.arc_row))
    arcs_by_row = np.split(order, np.searchsorted(instance.arc_row[order], np.arange(1, instance.n_rows)))
    need = instance.row_amount.astype(np.int64).copy()
    for row in np.lexsort((np.arange(instance.n_rows), -instance.row_weight)):
        for arc in arcs_by_row[row]:
            if need[row] == 0:
                break
            take = min(need[row], supply[instance.arc_pool[arc]])
            if take:
                flow[arc] += take
                supply[instance.arc_pool[arc]] -= take
                need[row] -= take
    return _result("greedy", "heuristic", instance, flow, time.perf_counter() - started, bounds=(0.0, 0.0))


def lp_bound(instance: Instance) -> tuple[float, float]:
    """(unmet, travel) of the LP relaxation: a lower bound on any plan, for the benchmark."""
    if highspy is None:
        raise RuntimeError("highspy is not installed")
    unmet, _ = _phase(instance, phase=1, integral=False, time_limit=600, mip_gap=0, cap=None)
    travel, _ = _phase(instance, phase=2, integral=False, time_limit=600, mip_gap=0, cap=unmet.objective)
    return unmet.objective, travel.objective


class _NoIncumbent(Exception):
    pass


@dataclass
class _PhaseResult:
    objective: float
    bound: float
    status: str


def _solve_highs(instance: Instance, *, time_limit: float, mip_gap: float) -> Solution:
    deadline = time.perf_counter() + time_limit
    first, values = _phase(instance, phase=1, integral=True, time_limit=time_limit, mip_gap=0, cap=None)
    if values is None:
        raise _NoIncumbent(first.status)
    # Phase 2 keeps phase 1's weighted unmet demand (integral weights, so +0.5 is exact slack).
    remaining = max(0.1, deadline - time.perf_counter())
    second, values2 = _phase(
        instance, phase=2, integral=True, time_limit=remaining, mip_gap=mip_gap, cap=first.objective + 0.5, start=values
    )
    chosen = values2 if values2 is not None else values
    flow = np.rint(chosen[: instance.arc_row.size]).astype(np.int64)
    status = second.status if values2 is not None else f"phase 2 {second.status}; phase 1 plan kept"
    travel_bound = second.bound if values2 is not None else 0.0
    return _result("highs", status, instance, flow, 0.0, bounds=(first.bound, travel_bound))


def _phase(
    instance: Instance,
    *,
    phase: int,
    integral: bool,
    time_limit: float,
    mip_gap: float,
    cap: float | None,
    start: np.ndarray | None = None,
) -> tuple[_PhaseResult, np.ndarray | None]:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(max(time_limit, 0.1)))
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    highs.setOptionValue("threads", 1)
    model = _model(instance, phase=phase, integral=integral, cap=cap)
    highs.passModel(model)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(start)
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    info = highs.getInfo()
    has_value = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = info.objective_function_value if has_value else INF
    bound = info.mip_dual_bound if integral else objective
    bound = objective if not np.isfinite(bound) or abs(bound) >= INF else bound
    values = np.array(highs.getSolution().col_value) if has_value else None
    if start is not None and values is not None and not np.isclose(np.dot(model.col_cost_, values), objective):
        # When presolve alone solves the MIP, HiGHS (1.16) reports the optimum's objective but hands
        # back the start's values: solve again without the start to get the plan itself.
        return _phase(instance, phase=phase, integral=integral, time_limit=time_limit, mip_gap=mip_gap, cap=cap)
    return _PhaseResult(objective, min(bound, objective), status), values


def _model(instance: Instance, *, phase: int, integral: bool, cap: float | None):
    """Columns: one per arc, then one shortfall per row. Rows: demand (=), supply (<=), and in
    phase 2 the cap on weighted unmet demand."""
    n_arc, n_row, n_pool = instance.arc_row.size, instance.n_rows, instance.n_pools
    cap_row = n_row + n_pool
    has_cap = cap is not None
    arc_rows = np.stack([instance.arc_row, n_row + instance.arc_pool], axis=1).ravel()
    arc_vals = np.ones(2 * n_arc)
    s_rows = np.stack([np.arange(n_row), np.full(n_row, cap_row)], axis=1).ravel() if has_cap else np.arange(n_row)
    s_vals = (
        np.stack([np.ones(n_row), instance.row_weight.astype(float)], axis=1).ravel() if has_cap else np.ones(n_row)
    )
    per_s = 2 if has_cap else 1
    lp = highspy.HighsLp()
    lp.num_col_ = n_arc + n_row
    lp.num_row_ = n_row + n_pool + (1 if has_cap else 0)
    if phase == 1:
        costs = np.concatenate([np.zeros(n_arc), instance.row_weight.astype(float)])
    else:
        costs = np.concatenate([instance.arc_cost.astype(float), np.zeros(n_row)])
    lp.col_cost_ = costs
    lp.col_lower_ = np.zeros(n_arc + n_row)
    upper_arc = np.minimum(instance.row_amount[instance.arc_row], instance.pool_supply[instance.arc_pool])
    lp.col_upper_ = np.concatenate([upper_arc, instance.row_amount]).astype(float)
    amount = instance.row_amount.astype(float)
    lp.row_lower_ = np.concatenate([amount, np.full(n_pool, -INF), [-INF] if has_cap else []])
    lp.row_upper_ = np.concatenate([amount, instance.pool_supply.astype(float), [cap] if has_cap else []])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([np.arange(0, 2 * n_arc + 1, 2), 2 * n_arc + per_s * np.arange(1, n_row + 1)])
    lp.a_matrix_.index_ = np.concatenate([arc_rows, s_rows]).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([arc_vals, s_vals])
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * (n_arc + n_row)
    return lp


def _result(method: str, status: str, instance: Instance, flow: np.ndarray, seconds: float, *, bounds) -> Solution:
    served = np.bincount(instance.arc_row, weights=flow, minlength=instance.n_rows).astype(np.int64)
    shortfall = instance.row_amount - served
    unmet = float(np.dot(shortfall, instance.row_weight))
    travel = float(np.dot(flow, instance.arc_cost))
    unmet_bound, travel_bound = bounds
    if method == "greedy":
        unmet_bound = travel_bound = float("nan")  # a heuristic proves no bound
    return Solution(method, status, flow, shortfall, unmet, travel, unmet_bound, travel_bound, seconds)
