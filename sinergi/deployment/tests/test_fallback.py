"""The greedy plan is used, and says so, when HiGHS is missing or runs out of time."""

import highspy
import numpy as np

from sinergi.deployment import planner
from sinergi.deployment.models import Plan
from sinergi.deployment.planner import Instance
from sinergi.deployment.services import plan_create

INST = Instance(
    np.array([2, 2]), np.array([1, 3]), np.array([3]), np.array([0, 1]), np.array([0, 0]), np.array([1.0, 2.0])
)


def test_without_highspy_the_greedy_plan_is_used(monkeypatch):
    monkeypatch.setattr(planner, "highspy", None)
    result = planner.solve(INST)
    assert result.method == "greedy"
    assert "solver not available" in result.notes[0]
    assert list(result.shortfall) == [1, 0]


class _TimeRanOut(highspy.Highs):
    """HiGHS (the outside solver) as it answers when its time limit passes before a first plan."""

    def run(self):
        return highspy.HighsStatus.kWarning

    def getModelStatus(self):
        return highspy.HighsModelStatus.kTimeLimit


def test_a_solver_timeout_without_a_plan_falls_back_to_greedy(monkeypatch):
    monkeypatch.setattr(highspy, "Highs", _TimeRanOut)
    result = planner.solve(INST, time_limit=0.5)
    assert result.method == "greedy"
    assert "Time limit reached" in result.notes[0]
    assert np.isnan(result.gap)


def test_a_stored_plan_records_the_fallback(monkeypatch, units, planner_users):
    monkeypatch.setattr(planner, "highspy", None)
    plan = plan_create(area_code="64.02", title="Tanpa solver", options={}, actor=planner_users["polri"])
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.method == "greedy"
    assert plan.gap is None
    assert plan.summary["notes"] == ["solver not available: greedy plan"]
