"""Checklist versions, idempotent retries, closed rounds, and answers that make no sense."""

import pytest

from sinergi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from sinergi.core.history import history_for
from sinergi.risk import services
from sinergi.risk.models import AreaRollup, Checklist, RoundStatus
from sinergi.risk.tests import factories


def test_a_later_answer_is_a_new_version_and_the_old_one_stays(kround, analyst):
    tps = factories.stations()[0]
    ins = kround.instrument
    services.checklist_submit(actor=analyst, round_=kround, tps_code=tps, answers=factories.answers_with(ins, "2.1"))
    services.checklist_submit(actor=analyst, round_=kround, tps_code=tps, answers=factories.answers_with(ins))
    versions = list(
        Checklist.objects.filter(tps_id=tps).order_by("version").values_list("version", "is_current", "score")
    )
    assert versions == [(1, False, 3.0), (2, True, 0.0)]
    kab = AreaRollup.objects.get(round=kround, area_id="64.02")
    assert (kab.tps_assessed, kab.tps_flagged, kab.by_indicator["2.1"]) == (1, 0, 0)
    assert history_for("risk.checklist", f"{kround.slug}:{tps}").count() == 2


def test_retry_with_the_same_client_id_returns_the_stored_version(kround, analyst):
    tps = factories.stations()[0]
    answers = factories.answers_with(kround.instrument, "8.1")
    first = services.checklist_submit(actor=analyst, round_=kround, tps_code=tps, answers=answers, client_id="abc")
    again = services.checklist_submit(actor=analyst, round_=kround, tps_code=tps, answers=answers, client_id="abc")
    assert first.pk == again.pk and Checklist.objects.count() == 1
    with pytest.raises(Conflict):
        services.checklist_submit(
            actor=analyst, round_=kround, tps_code=factories.stations()[1], answers=answers, client_id="abc"
        )


def test_closed_round_refuses_answers(kround, analyst):
    services.round_set_status(actor=analyst, round_=kround, status=RoundStatus.CLOSED)
    with pytest.raises(Conflict):
        services.checklist_submit(
            actor=analyst, round_=kround, tps_code=factories.stations()[0], answers=factories.all_no(kround.instrument)
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda a: a.pop("2.1"), "answers"),
        (lambda a: a.update({"9.9": {"yes": True}}), "answers"),
        (lambda a: a.update({"1.1": {"yes": False, "count": 3}}), "1.1"),
        (lambda a: a.update({"1.1": {"count": -1}}), "1.1"),
        (lambda a: a.update({"2.1": {"count": 4}}), "2.1"),
        (lambda a: a.update({"2.1": {}}), "2.1"),
    ],
)
def test_bad_answers_name_the_field_and_store_nothing(kround, analyst, change, field):
    answers = factories.all_no(kround.instrument)
    change(answers)
    with pytest.raises(ValidationFailed) as err:
        services.checklist_submit(actor=analyst, round_=kround, tps_code=factories.stations()[0], answers=answers)
    assert err.value.field == field
    assert not Checklist.objects.exists() and not AreaRollup.objects.exists()


def test_who_may_write(kround, personas):
    answers = factories.all_no(kround.instrument)
    tenggarong, badak = factories.stations("64.02.06")[0], factories.stations("64.02.05")[0]
    services.checklist_submit(actor=personas.field_officer, round_=kround, tps_code=tenggarong, answers=answers)
    with pytest.raises(NotFound):
        services.checklist_submit(actor=personas.field_officer, round_=kround, tps_code=badak, answers=answers)
    with pytest.raises(Forbidden):
        services.checklist_submit(actor=personas.coordinator, round_=kround, tps_code=badak, answers=answers)
    with pytest.raises(NotFound):
        services.checklist_submit(actor=personas.outsider, round_=kround, tps_code=badak, answers=answers)
    with pytest.raises(ValidationFailed):
        services.checklist_submit(
            actor=personas.national_admin, round_=kround, tps_code="64.72.01.1001.001", answers=answers
        )
