import pytest

from sinergi.deployment.tests.factories import planners, spread_tps, units_make


@pytest.fixture
def units(world):
    spread_tps()
    return units_make()


@pytest.fixture
def planner_users(world):
    return planners()


@pytest.fixture
def no_risk(monkeypatch):
    """The risk app's class map, replaced: tests set `no_risk.update({...})` to give classes."""
    classes: dict[str, str] = {}
    monkeypatch.setattr("sinergi.deployment.inputs.risk_classes", lambda area_code: dict(classes))
    return classes
