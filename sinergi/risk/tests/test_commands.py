import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinergi.risk.models import AreaRollup, Checklist, Indicator


def test_load_instruments_command(db):
    out = io.StringIO()
    call_command("risk_load_instruments", stdout=out)
    assert "tps-pilkada-2024 v1: 8 variables, 25 indicators" in out.getvalue()


def test_recompute_after_a_weight_edit_rescores_stored_checklists(filled):
    Indicator.objects.filter(instrument=filled.instrument, code="2.1").update(weight=10)
    out = io.StringIO()
    call_command("risk_recompute", filled.slug, stdout=out)
    assert "9 TPS" in out.getvalue() and "2 checklists rescored" in out.getvalue()
    assert Checklist.objects.get(tps_id="64.02.05.2001.001", is_current=True).score == 10
    assert AreaRollup.objects.get(round=filled, area_id="64.02").score_sum > 0
    with pytest.raises(CommandError):
        call_command("risk_recompute", "nope")
