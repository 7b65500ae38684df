"""Contract 2 end to end: verifying a TPS report sets the indicator in risk's real open round.

No fake of our own risk app: the rounds are built with the risk test factories and the effect is read
back from risk's checklists."""

import inspect

import pytest

from sinergi.incidents import services
from sinergi.incidents.services import report_transition
from sinergi.incidents.tests.factories import TENGGARONG_DESA, TENGGARONG_TPS, kapolsek, report_make


@pytest.fixture
def analyst(personas):
    from sinergi.risk.tests import factories as risk_factories

    return risk_factories.analyst()


@pytest.fixture
def open_round(analyst):
    """An open Pilkada 2024 round over Kukar (Tenggarong and Muara Badak), with no checklist yet."""
    from sinergi.risk.tests import factories as risk_factories

    return risk_factories.round_make(analyst)


def _current(round_, tps_code: str):
    from sinergi.risk.models import Checklist

    return Checklist.objects.filter(round=round_, tps_id=tps_code, is_current=True).first()


def test_the_risk_contract_is_imported_directly_with_the_arguments_we_send():
    """Contract 2 is imported at module load (no silent ImportError fallback) and takes the
    keyword arguments incidents sends; renaming either side fails here."""
    from sinergi.risk import services as risk

    assert services.indicator_set_from_report is risk.indicator_set_from_report
    assert "except ImportError" not in inspect.getsource(services)
    parameters = inspect.signature(risk.indicator_set_from_report).parameters
    assert {"tps_code", "indicator_code", "report_ref", "actor"} <= set(parameters)


@pytest.mark.django_db
def test_verifying_a_tps_report_sets_the_matching_indicator(personas, open_round):
    police = kapolsek()
    report = report_make(personas.field_officer, category="intimidasi-kekerasan", area_code=TENGGARONG_TPS)
    assert _current(open_round, TENGGARONG_TPS) is None
    report_transition(report_id=report.pk, actor=police, action="verify")
    checklist = _current(open_round, TENGGARONG_TPS)
    assert checklist is not None and checklist.version == 1 and checklist.channel == "system"
    assert checklist.answers["2.2"]["yes"] is True
    assert [code for code, answer in checklist.answers.items() if answer["yes"]] == ["2.2"]
    assert checklist.yes_mask != 0 and checklist.submitted_by == police
    assert f"#{report.pk}" in checklist.note
    report.refresh_from_db()
    assert report.indicator_set is True
    assert "indikator 2.2" in report.events.get(kind="risk").note


@pytest.mark.django_db
def test_an_existing_checklist_gets_a_new_version_with_the_indicator(personas, analyst, open_round):
    from sinergi.risk import services as risk
    from sinergi.risk.tests import factories as risk_factories

    first = risk.checklist_submit(
        actor=analyst,
        round_=open_round,
        tps_code=TENGGARONG_TPS,
        answers=risk_factories.answers_with(open_round.instrument, "1.1"),
    )
    report = report_make(personas.field_officer, category="intimidasi-kekerasan", area_code=TENGGARONG_TPS)
    report_transition(report_id=report.pk, actor=kapolsek(), action="verify")
    current = _current(open_round, TENGGARONG_TPS)
    assert current.version == first.version + 1
    assert current.answers["1.1"]["yes"] is True and current.answers["2.2"]["yes"] is True
    assert current.score > first.score


@pytest.mark.django_db
def test_no_indicator_without_a_tps_or_when_the_officer_says_no(personas, open_round):
    from sinergi.risk.models import Checklist

    police = kapolsek()
    desa_report = report_make(personas.field_officer, area_code=TENGGARONG_DESA)
    report_transition(report_id=desa_report.pk, actor=police, action="verify")
    opted_out = report_make(personas.field_officer, area_code=TENGGARONG_TPS, description="Ancaman lain di TPS")
    report_transition(report_id=opted_out.pk, actor=police, action="verify", set_indicator=False)
    assert not Checklist.objects.filter(round=open_round).exists()
    for report in (desa_report, opted_out):
        report.refresh_from_db()
        assert report.state == "diverifikasi" and report.indicator_set is False


@pytest.mark.django_db
def test_a_tps_outside_any_round_is_noted_not_failed(personas):
    """The only open round covers Muara Badak; a Tenggarong TPS is in none."""
    from sinergi.risk.models import Checklist
    from sinergi.risk.tests import factories as risk_factories

    muara_badak = risk_factories.round_make(risk_factories.analyst(), slug="mb", area="64.02.05")
    police = kapolsek()
    report = report_make(personas.field_officer, area_code="64.02.06.2001.003")
    report_transition(report_id=report.pk, actor=police, action="verify")
    report.refresh_from_db()
    assert report.state == "diverifikasi" and report.indicator_set is False
    assert "tidak diubah" in report.events.get(kind="risk").note
    assert not Checklist.objects.filter(round=muara_badak).exists()


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
