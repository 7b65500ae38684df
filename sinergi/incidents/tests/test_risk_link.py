import inspect

import pytest

from sinergi.incidents import services
from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import TENGGARONG_DESA, TENGGARONG_TPS, kapolsek, report_make


@pytest.fixture
def risk_calls(monkeypatch):
    calls: list[dict] = []

    def indicator_set_from_report(**kwargs):
        from sinergi.risk.services import IndicatorOutcome  # the contract's return shape

        calls.append(kwargs)
        return IndicatorOutcome(applied=kwargs["tps_code"] == TENGGARONG_TPS)

    monkeypatch.setattr(services, "indicator_set_from_report", indicator_set_from_report)
    return calls


def test_the_risk_contract_is_imported_directly_with_the_arguments_we_send():
    """Contract 2 is imported at module load (no silent ImportError fallback) and takes the
    keyword arguments incidents sends; renaming either side fails here."""
    from sinergi.risk import services as risk

    assert services.indicator_set_from_report is risk.indicator_set_from_report
    assert "except ImportError" not in inspect.getsource(services)
    parameters = inspect.signature(risk.indicator_set_from_report).parameters
    assert {"tps_code", "indicator_code", "report_ref", "actor"} <= set(parameters)


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


@pytest.mark.django_db
def test_verifying_at_a_tps_of_a_closed_round_leaves_the_round_as_published(personas):
    """A closed risk round is immutable: the verified report is queued for the next round instead
    (risk's side of contract 2), and the closed round's flagged TPS count stays what was published."""
    from sinergi.risk import services as risk
    from sinergi.risk.models import Checklist, RoundStatus
    from sinergi.risk.tests import factories as risk_factories

    analyst = risk_factories.analyst()
    round_ = risk_factories.round_make(analyst)
    risk.checklist_submit(
        actor=analyst, round_=round_, tps_code=TENGGARONG_TPS, answers=risk_factories.all_no(round_.instrument)
    )
    risk.round_set_status(actor=analyst, round_=round_, status=RoundStatus.CLOSED)

    def published() -> tuple[int, list]:
        current = Checklist.objects.filter(round=round_, is_current=True)
        flagged = current.exclude(yes_mask=0).count()
        return flagged, list(Checklist.objects.filter(round=round_).values_list("tps_id", "version", "answers"))

    before = published()
    report = report_make(personas.field_officer, category="intimidasi-kekerasan", area_code=TENGGARONG_TPS)
    report_transition(report_id=report.pk, actor=kapolsek(), action="verify")
    assert published() == before
    report.refresh_from_db()
    assert report.state == "diverifikasi" and report.indicator_set is False
    assert "tidak diubah" in report.events.get(kind="risk").note
