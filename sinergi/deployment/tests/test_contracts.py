"""Contract 1 seen from deployment: the TPS security class comes from `risk.selectors.security_class_map`,
imported directly. A renamed or moved contract fails here (and at import), never by planning every
TPS as "kurang rawan" in silence."""

import importlib

import pytest

import sinergi.risk.selectors as risk_selectors
from sinergi.deployment import inputs
from sinergi.deployment.models import PlanPost
from sinergi.deployment.services import plan_create
from sinergi.risk import services as risk_services
from sinergi.risk.tests import factories as risk_factories

pytestmark = pytest.mark.django_db
TPS = "64.02.06.1001.001"


def test_a_real_risk_round_sets_the_class_of_a_tps_in_the_plan(units, planner_users):
    analyst = risk_factories.analyst()
    kround = risk_factories.round_make(analyst)
    risk_services.checklist_submit(
        actor=analyst, round_=kround, tps_code=TPS, answers=risk_factories.answers_with(kround.instrument, "2.1", "2.2")
    )
    assert risk_selectors.security_class_map("64.02")[TPS] == "sangat_rawan"
    assert inputs.risk_classes("64.02") == {TPS: "sangat_rawan"}
    plan = plan_create(area_code="64.02", title="Dengan risiko", options={}, actor=planner_users["polri"])
    assert plan.summary["class_sources"]["risiko"] == 1
    assert plan.summary["by_class"]["sangat_rawan"]["tps"] == 1
    post = next(p for p in PlanPost.objects.filter(plan=plan) if any(code == TPS for code, _ in p.tps))
    assert post.tps_class == "sangat_rawan" and [TPS, "risiko"] in post.tps


def test_a_missing_contract_fails_loudly_instead_of_falling_back(monkeypatch):
    monkeypatch.delattr(risk_selectors, "security_class_map")
    try:
        with pytest.raises(ImportError):
            importlib.reload(inputs)
    finally:
        monkeypatch.undo()
        importlib.reload(inputs)
    assert inputs.security_class_map is risk_selectors.security_class_map
