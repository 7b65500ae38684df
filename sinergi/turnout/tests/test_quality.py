import pytest

from sinergi.turnout.models import QualityRule, Slot
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import TPS, at
from sinergi.turnout.voting_day import forget

pytestmark = pytest.mark.django_db


def send(election, actor, checkpoint, voters, when, **kw):
    [result] = reports_submit(
        election=election,
        items=[ReportInput(tps_code=TPS, checkpoint=checkpoint, voters=voters, **kw)],
        actor=actor,
        at=when,
    )
    return [f["rule"] for f in result.flags]


def test_clean_report_has_no_flags(election, operator):
    assert send(election, operator, "09", 100, at(9, 10)) == []


def test_more_voters_than_dpt_and_reserve_is_flagged_not_dropped(election, operator):
    # DPT 290 + 2.5 % reserve = 297
    assert send(election, operator, "11", 298, at(11, 5)) == ["over_registered"]
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    assert slot.voters == 298 and slot.flagged


def test_final_limit_uses_reported_dptb_and_dpk(election, operator):
    flags = send(election, operator, "final", 300, at(15), voted_dpt=280, voted_dptb=15, voted_dpk=5)
    assert "over_registered" not in flags


def test_lower_than_previous_checkpoint(election, operator):
    send(election, operator, "09", 120, at(9, 5))
    assert "below_previous" in send(election, operator, "11", 110, at(11, 5))


def test_implausible_jump(election, operator):
    send(election, operator, "09", 10, at(9, 5))
    assert "implausible_jump" in send(election, operator, "11", 250, at(11, 5))


def test_far_outside_checkpoint_time(election, operator):
    assert send(election, operator, "09", 50, at(8, 0)) == ["off_schedule"]
    assert send(election, operator, "11", 90, at(15, 0)) == ["off_schedule"]


def test_two_reporters_disagreeing(election, operator, operator2):
    send(election, operator, "09", 100, at(9, 5))
    assert send(election, operator2, "09", 90, at(9, 10)) == ["disagreement"]


def test_same_reporter_correcting_is_not_a_disagreement(election, operator):
    send(election, operator, "09", 100, at(9, 5))
    assert send(election, operator, "09", 90, at(9, 10)) == []


def test_ballots_not_matching_voters(election, operator):
    flags = send(election, operator, "final", 200, at(15), valid_ballots=190, invalid_ballots=5)
    assert flags == ["ballots_mismatch"]


def test_rules_are_editable_data(election, operator):
    QualityRule.objects.filter(code="over_registered").update(params={"reserve_pct": 10})
    QualityRule.objects.filter(code="off_schedule").update(enabled=False)
    forget()  # .update() sends no signal; an admin's save does (test_voting_day_cache)
    assert send(election, operator, "11", 310, at(17, 0)) == []
