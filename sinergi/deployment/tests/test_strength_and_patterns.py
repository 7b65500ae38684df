"""Planners keep their units' strength and their Polres's patterns; both change the next plan."""

import pytest
from django.urls import reverse

from sinergi.conftest import client_for
from sinergi.core.errors import Forbidden, ValidationFailed
from sinergi.deployment.models import SecurityPattern, UnitStrength
from sinergi.deployment.services import pattern_set, plan_create, strength_set

pytestmark = pytest.mark.django_db
VALUES = {"polri": 2, "polri_tps": 1, "tni": 1, "tni_tps": 2, "linmas_per_tps": 2, "risk_weight": 1}


def test_each_sector_edits_its_own_units(units, planner_users):
    strength_set(agency=units["polsek-tenggarong"], personnel=9, actor=planner_users["polri"])
    assert UnitStrength.objects.get(agency=units["polsek-tenggarong"]).personnel == 9
    with pytest.raises(Forbidden):
        strength_set(agency=units["polsek-tenggarong"], personnel=1, actor=planner_users["tni"])
    strength_set(agency=units["koramil-tenggarong"], personnel=4, actor=planner_users["tni"])
    with pytest.raises(ValidationFailed) as error:
        strength_set(agency=units["polsek-tenggarong"], personnel=1, bko=5, actor=planner_users["polri"])
    assert error.value.field == "bko"


def test_strength_form_and_its_refusals(units, planner_users, personas):
    url = reverse("deployment:strength_update", args=["64.02"])
    response = client_for(planner_users["polri"]).post(url, {"agency": "polres-kukar", "personnel": "12", "bko": "3"})
    assert response.status_code == 302
    assert UnitStrength.objects.get(agency=units["polres-kukar"]).bko == 3
    assert client_for(personas.coordinator).post(url, {"agency": "polres-kukar", "personnel": "1"}).status_code == 403
    assert client_for(personas.outsider).post(url, {"agency": "polres-kukar", "personnel": "1"}).status_code == 404


def test_a_polres_pattern_overrides_the_national_one_for_its_posts(units, planner_users):
    before = plan_create(area_code="64.02", title="A", options={}, actor=planner_users["polri"])
    pattern_set(polres=units["polres-kukar"], tps_class="kurang_rawan", values=VALUES, actor=planner_users["polri"])
    after = plan_create(area_code="64.02", title="B", options={}, actor=planner_users["polri"])
    tenggarong = lambda plan: plan.posts.filter(kecamatan_id="64.02.06")  # noqa: E731
    assert tenggarong(before).count() == 2 and tenggarong(after).count() == 6
    # Muara Badak belongs to Polres Bontang, which keeps the national pattern.
    assert after.posts.filter(kecamatan_id="64.02.05").count() == 1


def test_only_polri_planners_set_patterns_and_values_are_checked(units, planner_users, personas):
    with pytest.raises(Forbidden):
        pattern_set(polres=units["polres-kukar"], tps_class="rawan", values=VALUES, actor=planner_users["tni"])
    with pytest.raises(ValidationFailed) as error:
        pattern_set(
            polres=units["polres-kukar"],
            tps_class="rawan",
            values={**VALUES, "polri_tps": 0},
            actor=planner_users["polri"],
        )
    assert error.value.field == "polri_tps"
    client = client_for(planner_users["polri"])
    assert [p.code for p in client.get(reverse("deployment:patterns")).context["polres"]] == ["polres-kukar"]
    response = client.post(reverse("deployment:patterns"), {"polres": "polres-kukar", "tps_class": "rawan", **VALUES})
    assert response.status_code == 302
    assert SecurityPattern.objects.get(polres=units["polres-kukar"], tps_class="rawan").polri_tps == 1
    assert (
        client_for(personas.outsider).post(reverse("deployment:patterns"), {"polres": "polres-kukar"}).status_code
        == 404
    )
