"""Contract 1 (security_class_map) and contract 2 (indicator_set_from_report)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.areas.models import PollingStation
from sinergi.core.history import history_for
from sinergi.risk import services
from sinergi.risk.models import Checklist, RoundStatus
from sinergi.risk.selectors import security_class_map
from sinergi.risk.tests import factories


def test_security_class_map_prefers_override_then_latest_round(kround, analyst):
    ins = kround.instrument
    a, b, c = factories.stations("64.02.06")[:3]
    services.checklist_submit(actor=analyst, round_=kround, tps_code=a, answers=factories.answers_with(ins, "2.1"))
    services.checklist_submit(
        actor=analyst, round_=kround, tps_code=b, answers=factories.answers_with(ins, "2.1", "2.2")
    )
    services.checklist_submit(actor=analyst, round_=kround, tps_code=c, answers=factories.answers_with(ins))
    services.security_override_set(actor=analyst, tps_code=c, security_class="khusus", reason="rutan")
    later = factories.round_make(analyst, slug="r2")
    later.window_start = later.window_start.replace(day=20)
    later.window_end = later.window_end.replace(day=25)
    later.save()
    services.checklist_submit(actor=analyst, round_=later, tps_code=a, answers=factories.answers_with(ins))
    with CaptureQueriesContext(connection) as queries:
        result = security_class_map("64.02.06")
    assert result == {a: "kurang_rawan", b: "sangat_rawan", c: "khusus"}
    assert len(queries) == 2
    assert security_class_map("64.72") == {}


def test_special_location_tps_is_khusus(kround, analyst):
    tps = factories.stations()[0]
    PollingStation.objects.filter(code=tps).update(is_special=True)
    services.checklist_submit(actor=analyst, round_=kround, tps_code=tps, answers=factories.all_no(kround.instrument))
    assert security_class_map("64.02")[tps] == "khusus"


def test_indicator_set_from_report_adds_a_version(kround, analyst):
    tps = factories.stations()[0]
    services.checklist_submit(
        actor=analyst, round_=kround, tps_code=tps, answers=factories.answers_with(kround.instrument, "8.1")
    )
    assert services.indicator_set_from_report(tps_code=tps, indicator_code="2.2", report_ref="LAP-7", actor=analyst)
    current = Checklist.objects.get(tps_id=tps, is_current=True)
    assert current.version == 2 and current.note == "from report LAP-7"
    assert current.answers["2.2"]["yes"] and current.answers["8.1"]["yes"]
    assert current.security_class == "rawan" and current.score == 4.0
    assert history_for("risk.checklist", f"{kround.slug}:{tps}").count() == 2


def test_indicator_set_from_report_uses_latest_closed_round_when_none_open(kround, analyst):
    tps = factories.stations()[1]
    services.round_set_status(actor=analyst, round_=kround, status=RoundStatus.CLOSED)
    assert services.indicator_set_from_report(tps_code=tps, indicator_code="3.1", report_ref="R1", actor=analyst)
    assert Checklist.objects.get(tps_id=tps).answers["3.1"] == {"yes": True, "count": None}


def test_indicator_set_from_report_returns_false_and_changes_nothing(kround, analyst):
    assert not services.indicator_set_from_report(
        tps_code="64.72.01.1001.001", indicator_code="2.1", report_ref="R", actor=analyst
    )
    assert not services.indicator_set_from_report(
        tps_code="64.02.06.1001.999", indicator_code="2.1", report_ref="R", actor=analyst
    )
    assert not Checklist.objects.exists()


def test_override_needs_a_reason_and_keeps_history(kround, analyst, personas):
    import pytest

    from sinergi.core.errors import Forbidden, ValidationFailed

    tps = factories.stations()[0]
    with pytest.raises(ValidationFailed):
        services.security_override_set(actor=analyst, tps_code=tps, security_class="rawan", reason=" ")
    with pytest.raises(Forbidden):
        services.security_override_set(actor=personas.coordinator, tps_code=tps, security_class="rawan", reason="x")
    services.security_override_set(actor=analyst, tps_code=tps, security_class="rawan", reason="laporan Polsek")
    services.security_override_set(actor=analyst, tps_code=tps, security_class="", reason="sudah aman")
    changes = [h.changes["security_class"] for h in history_for("risk.security_class", tps)]
    assert changes == [["rawan", ""], ["", "rawan"]]
    assert tps not in security_class_map("64.02")
