from sinergi.risk import recompute, services
from sinergi.risk.models import AreaRollup
from sinergi.risk.tests import factories


def test_submit_moves_rollups_like_a_full_recompute(kround, analyst):
    codes = factories.stations()
    ins = kround.instrument
    services.checklist_submit(
        actor=analyst, round_=kround, tps_code=codes[0], answers=factories.answers_with(ins, "2.1")
    )
    services.checklist_submit(
        actor=analyst, round_=kround, tps_code=codes[1], answers=factories.answers_with(ins, "8.1", "1.1")
    )
    services.checklist_submit(
        actor=analyst, round_=kround, tps_code=codes[0], answers=factories.answers_with(ins, "3.1")
    )
    delta = {
        r.area_id: (r.tps_assessed, r.tps_flagged, r.by_indicator, r.index, r.category)
        for r in AreaRollup.objects.all()
    }
    recompute.round_recompute(kround)
    full = {
        r.area_id: (r.tps_assessed, r.tps_flagged, r.by_indicator, r.index, r.category)
        for r in AreaRollup.objects.all()
    }
    assert delta == full
    assert full["64.02"][0] == 2
