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
def risk_classes_set(world):
    """Security classes given through the real risk app: a Bawaslu analyst sets a manual class per TPS
    (risk.services.security_override_set), which the risk contract then reports to the planner."""
    from sinergi.risk import services as risk
    from sinergi.risk.tests.factories import analyst

    bawaslu = analyst()

    def set_classes(classes: dict[str, str]) -> None:
        for tps_code, security_class in classes.items():
            risk.security_override_set(
                actor=bawaslu, tps_code=tps_code, security_class=security_class, reason="Hasil pemetaan Bawaslu"
            )

    return set_classes
