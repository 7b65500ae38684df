"""Situation-room metrics from the approved plan, and the roster command."""

import pytest
from django.core.management import CommandError, call_command

from sinergi.areas.models import Area
from sinergi.deployment import situation
from sinergi.deployment.models import RosterMember
from sinergi.deployment.services import plan_approve, plan_create, strength_set

pytestmark = pytest.mark.django_db


def test_readiness_attention_and_map_follow_the_approved_plan(units, planner_users, personas):
    kukar, tenggarong = Area.objects.get(code="64.02"), Area.objects.get(code="64.02.06")
    assert situation.readiness(personas.coordinator, kukar)[0].status == "warn"
    strength_set(agency=units["polres-bontang"], personnel=0)
    plan = plan_create(area_code="64.02", title="S", options={}, actor=planner_users["polri"])
    plan_approve(plan=plan, actor=planner_users["polri"])
    metrics = {m.key: m for m in situation.readiness(personas.coordinator, kukar)}
    assert metrics["deployment.polri_shortfall"].value == 2
    assert situation.attention(personas.coordinator, kukar)[0].urgency == 70
    assert situation.attention(personas.field_officer, tenggarong) == []
    layer = situation.map_layers(personas.coordinator, kukar)[0]
    assert layer.values == {"64.02.05": 2.0, "64.02.06": 0.0}
    assert situation.readiness(personas.outsider, kukar) == []


def test_roster_command_imports_or_reports_every_bad_row(tmp_path, units, planner_users):
    good = tmp_path / "ok.csv"
    good.write_text("id_number,rank,name,unit,status\n7,Bripda,Ahmad,polsek-tenggarong,aktif\n", encoding="utf-8")
    call_command("deployment_roster", str(good), "--user", "perencana.polri")
    assert RosterMember.objects.get().name == "Ahmad"
    bad = tmp_path / "bad.csv"
    bad.write_text("id_number,rank,name,unit,status\n8,Bripda,,polsek-tenggarong,aktif\n", encoding="utf-8")
    with pytest.raises(CommandError, match="baris 2, kolom name"):
        call_command("deployment_roster", str(bad), "--user", "perencana.polri")
