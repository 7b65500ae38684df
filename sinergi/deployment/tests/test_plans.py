"""Plans on the small world: jurisdiction, classes and their sources, states and versions, scenarios."""

import pytest

from sinergi.areas.models import PollingStation
from sinergi.core.errors import Conflict, Forbidden, ValidationFailed
from sinergi.core.models import HistoryEntry
from sinergi.deployment.models import Plan, PlanAssignment, PlanState
from sinergi.deployment.services import (
    plan_approve,
    plan_create,
    plan_new_version,
    plan_scenario,
    plan_solve,
    strength_set,
)

pytestmark = pytest.mark.django_db


def make(user, **options):
    return plan_create(area_code="64.02", title="Rencana uji", options=options, actor=user)


def test_plan_covers_every_tps_and_meets_demand_when_supply_suffices(units, planner_users):
    plan = make(planner_users["polri"])
    assert plan.summary["tps"] == PollingStation.objects.filter(desa__code__startswith="64.02.").count() == 9
    assert plan.summary["posts"] == 3  # two Tenggarong desa 6 km apart, and Muara Badak
    assert plan.summary["totals"]["polri"] == {"demand": 6, "assigned": 6, "shortfall": 0, "supply": 10}
    assert plan.method == "highs" and plan.gap == pytest.approx(0, abs=1e-6)
    assert plan.summary["class_sources"] == {"bawaan": 9}
    assert HistoryEntry.objects.filter(
        object_type="deployment.plan", object_key=str(plan.pk), action="created"
    ).exists()


def test_no_polres_kukar_officer_in_muara_badak_unless_lent(units, planner_users):
    strength_set(agency=units["polres-bontang"], personnel=0)
    plan = make(planner_users["polri"])
    badak = plan.posts.get(kecamatan_id="64.02.05")
    assert badak.police_unit.code == "polres-bontang"
    assert badak.short_polri == 2
    assert not PlanAssignment.objects.filter(post=badak, kind="polri").exists()
    lent = make(planner_users["polri"], loans=[["polres-kukar", "64.02.05"]])
    badak = lent.posts.get(kecamatan_id="64.02.05")
    assert badak.short_polri == 0
    assert set(PlanAssignment.objects.filter(post=badak, kind="polri").values_list("agency__code", flat=True)) == {
        "polres-kukar"
    }


def test_supply_of_every_unit_is_respected(units, planner_users, risk_classes_set):
    risk_classes_set({f"64.02.06.1001.00{i}": "sangat_rawan" for i in (1, 2, 3)})
    plan = make(planner_users["polri"])
    for row in plan.summary["units"]:
        used = sum(PlanAssignment.objects.filter(plan=plan, agency__code=row["code"]).values_list("people", flat=True))
        assert used == row["assigned"] <= row["supply_total"]
    # Three sangat rawan TPS need 2 Polri each: 6 + 2 + 2 = 10 = all Polri supply of the world.
    assert plan.summary["totals"]["polri"]["demand"] == 10
    assert plan.summary["class_sources"] == {"risiko": 3, "bawaan": 6}


def test_classes_come_from_the_risk_contract_else_special_or_default(units, planner_users, risk_classes_set):
    risk_classes_set({"64.02.06.1001.001": "rawan"})
    PollingStation.objects.filter(code="64.02.06.2001.003").update(is_special=True)
    plan = make(planner_users["polri"])
    assert plan.summary["class_sources"] == {"risiko": 1, "lokasi_khusus": 1, "bawaan": 7}
    assert plan.summary["by_class"]["khusus"]["tps"] == 1
    assert plan.summary["by_class"]["rawan"]["tps"] == 1


def test_scenario_raises_a_kecamatan_and_removes_bko(units, planner_users):
    plan = make(planner_users["polri"])
    scenario = plan_scenario(
        plan=plan,
        title="Tenggarong rawan",
        changes={"raise": {"64.02.06": "rawan"}, "without_bko": True},
        actor=planner_users["polri"],
    )
    assert scenario.scenario_of == plan
    assert scenario.options["without_bko"] is True
    assert scenario.summary["by_class"]["rawan"]["tps"] == 6
    assert scenario.summary["class_sources"]["skenario"] == 6
    polres = next(u for u in scenario.summary["units"] if u["code"] == "polres-kukar")
    assert "bko" not in polres["supply"]
    assert scenario.summary["totals"]["polri"]["shortfall"] > plan.summary["totals"]["polri"]["shortfall"]


def test_reducing_a_polsek_is_a_scenario_input(units, planner_users):
    plan = make(planner_users["polri"])
    scenario = plan_scenario(
        plan=plan, title="", changes={"reduce": {"polsek-tenggarong": 2}}, actor=planner_users["polri"]
    )
    polsek = next(u for u in scenario.summary["units"] if u["code"] == "polsek-tenggarong")
    assert polsek["supply"]["organik"] == 0
    with pytest.raises(ValidationFailed) as error:
        plan_scenario(plan=plan, title="", changes={"reduce": {"kpu-kukar": 1}}, actor=planner_users["polri"])
    assert error.value.field == "options.reduce"


def test_approval_versions_and_states(units, planner_users):
    polri, tni = planner_users["polri"], planner_users["tni"]
    plan = make(tni)  # a TNI planner drafts
    with pytest.raises(Forbidden):
        plan_approve(plan=plan, actor=tni)
    plan_approve(plan=plan, actor=polri)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.approved_by == polri
    with pytest.raises(Conflict):
        plan_solve(plan=plan, actor=polri)
    second = plan_new_version(plan=plan, actor=polri)
    assert (second.version, second.lineage_id, second.state) == (2, plan.pk, PlanState.DRAFT)
    plan_approve(plan=second, actor=polri)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUPERSEDED


def test_read_only_roles_cannot_write(units, planner_users, personas):
    with pytest.raises(Forbidden):
        make(planner_users["observer"])
    with pytest.raises(Forbidden):
        make(personas.coordinator)


def test_a_retried_create_with_the_same_client_id_returns_the_same_plan(units, planner_users):
    first = plan_create(area_code="64.02", title="A", options={}, actor=planner_users["polri"], client_id="c-1")
    again = plan_create(area_code="64.02", title="A", options={}, actor=planner_users["polri"], client_id="c-1")
    assert first.pk == again.pk and Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"radius": 3}, "options.radius"),
        ({"radius_km": "x"}, "options.radius_km"),
        ({"raise": {"99": "rawan"}}, "options.raise"),
        ({"raise": {"64.02.06": "merah"}}, "options.raise"),
        ({"loans": [["polsek-tenggarong", "64.02.05"]]}, "options.loans"),
        ({"loans": [["polres-bontang", "99.99"]]}, "options.loans"),  # no such area
        ({"loans": "polres-bontang"}, "options.loans"),  # not a list of pairs
        ({"loans": [["polres-bontang"]]}, "options.loans"),
        ({"radius_km": 0}, "options.radius_km"),  # below 0.1 km
        ({"time_limit": 601}, "options.time_limit"),
        ({"solver": "cplex"}, "options.solver"),
        ({"reduce": ["polsek-tenggarong"]}, "options.reduce"),  # not a mapping
        ({"reduce": {"polsek-tenggarong": -1}}, "options.reduce"),
        ({"reduce": {"polsek-tenggarong": 1.5}}, "options.reduce"),
        ({"raise": ["64.02.06"]}, "options.raise"),
    ],
)
def test_bad_options_name_the_field(units, planner_users, options, field):
    with pytest.raises(ValidationFailed) as error:
        make(planner_users["polri"], **options)
    assert error.value.field == field
    assert not Plan.objects.exists()
