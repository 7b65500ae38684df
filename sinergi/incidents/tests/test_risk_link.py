import sys
import types

import pytest

from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import TENGGARONG_DESA, TENGGARONG_TPS, kapolsek, report_make


@pytest.fixture
def risk_calls(monkeypatch):
    calls: list[dict] = []
    fake = types.ModuleType("sinergi.risk.services")

    def indicator_set_from_report(**kwargs):
        calls.append(kwargs)
        return kwargs["tps_code"] == TENGGARONG_TPS

    fake.indicator_set_from_report = indicator_set_from_report  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sinergi.risk.services", fake)
    return calls


@pytest.mark.django_db
def test_verifying_a_tps_report_sets_the_matching_indicator(personas, risk_calls):
    police = kapolsek()
    report = report_make(personas.field_officer, category="intimidasi-kekerasan", area_code=TENGGARONG_TPS)
    report_transition(report_id=report.pk, actor=police, action="verify")
    assert risk_calls == [
        {"tps_code": TENGGARONG_TPS, "indicator_code": "2.2", "report_ref": f"#{report.pk}", "actor": police}
    ]
    report.refresh_from_db()
    assert report.indicator_set is True
    assert "indikator 2.2" in report.events.get(kind="risk").note


@pytest.mark.django_db
def test_no_call_without_a_tps_or_when_the_officer_says_no(personas, risk_calls):
    police = kapolsek()
    desa_report = report_make(personas.field_officer, area_code=TENGGARONG_DESA)
    report_transition(report_id=desa_report.pk, actor=police, action="verify")
    opted_out = report_make(personas.field_officer, area_code=TENGGARONG_TPS, description="Ancaman lain di TPS")
    report_transition(report_id=opted_out.pk, actor=police, action="verify", set_indicator=False)
    assert risk_calls == []


@pytest.mark.django_db
def test_a_tps_outside_any_round_is_noted_not_failed(personas, risk_calls):
    police = kapolsek()
    report = report_make(personas.field_officer, area_code="64.02.06.2001.003")
    report_transition(report_id=report.pk, actor=police, action="verify")
    report.refresh_from_db()
    assert report.state == "diverifikasi" and report.indicator_set is False
    assert "tidak diubah" in report.events.get(kind="risk").note
