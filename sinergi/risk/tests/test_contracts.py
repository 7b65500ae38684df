"""Contract 1 (security_class_map) and contract 2 (indicator_set_from_report).

Deployment and the situation room import `risk.selectors.security_class_map`; incidents calls
`risk.services.indicator_set_from_report`. Their signatures and return shapes are pinned here, so a
rename or a changed argument fails a test instead of silently falling back on the other side.
"""

import dataclasses
import inspect

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.areas.models import PollingStation
from sinergi.core.history import history_for
from sinergi.risk import services
from sinergi.risk.models import Checklist, ProposedChange, RoundStatus, SecurityClass
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


# --- pinned signatures and shapes ---------------------------------------------------------------


def test_contract_1_security_class_map_signature_is_pinned():
    from sinergi.risk import selectors

    assert selectors.security_class_map is security_class_map  # the documented import path
    signature = inspect.signature(security_class_map)
    assert [(p.name, p.kind, p.annotation) for p in signature.parameters.values()] == [
        ("area_code", inspect.Parameter.POSITIONAL_OR_KEYWORD, str)
    ]
    assert signature.return_annotation == dict[str, str]


def test_contract_1_security_class_map_returns_tps_code_to_class(filled):
    result = security_class_map("64.02")
    assert isinstance(result, dict) and len(result) == 9
    assert all(isinstance(k, str) and k.startswith("64.02.") and k.count(".") == 4 for k in result)
    assert set(result.values()) <= set(SecurityClass.values)
    assert security_class_map("64.02.06.1001.001") == {}  # a TPS code is not an area: nothing, not an error


def test_contract_2_indicator_set_from_report_signature_is_pinned():
    signature = inspect.signature(services.indicator_set_from_report)
    assert [(p.name, p.kind) for p in signature.parameters.values()] == [
        ("tps_code", inspect.Parameter.KEYWORD_ONLY),
        ("indicator_code", inspect.Parameter.KEYWORD_ONLY),
        ("report_ref", inspect.Parameter.KEYWORD_ONLY),
        ("actor", inspect.Parameter.KEYWORD_ONLY),
    ]
    assert all(p.default is inspect.Parameter.empty for p in signature.parameters.values())
    assert signature.return_annotation is services.IndicatorOutcome
    fields = [(f.name, f.type) for f in dataclasses.fields(services.IndicatorOutcome)]
    assert fields == [("applied", bool), ("proposed", bool), ("round_slug", str | None), ("proposal_id", int | None)]


def test_contract_2_outcome_is_true_only_when_the_map_changed(kround, analyst):
    tps = factories.stations()[0]
    applied = services.indicator_set_from_report(tps_code=tps, indicator_code="2.2", report_ref="A1", actor=analyst)
    assert applied and applied == services.IndicatorOutcome(applied=True, round_slug=kround.slug)
    services.round_set_status(actor=analyst, round_=kround, status=RoundStatus.CLOSED)
    proposed = services.indicator_set_from_report(tps_code=tps, indicator_code="3.1", report_ref="A2", actor=analyst)
    assert not proposed and proposed.proposed and proposed.round_slug == kround.slug
    assert proposed.proposal_id == ProposedChange.objects.get().pk
    nothing = services.indicator_set_from_report(
        tps_code="64.99.01.1001.001", indicator_code="3.1", report_ref="A3", actor=analyst
    )
    assert nothing == services.IndicatorOutcome(applied=False)
