"""Tranche dates and amounts per policy, on hand-checked cases (pure, no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.grants import schedule
from sinergi.grants.policies import POLICIES

D = dt.date


def steps(code: str) -> list[schedule.Step]:
    spec = next(p for p in POLICIES if p["code"] == code)
    return [
        schedule.Step(i, label, Decimal(share), anchor, days, months)
        for i, (label, share, anchor, days, months) in enumerate(spec["steps"], start=1)
    ]


@pytest.mark.parametrize(
    ("signed", "due", "why"),
    [
        (D(2023, 11, 10), D(2023, 11, 30), "no holidays: 14 weekdays"),
        (D(2024, 3, 4), D(2024, 3, 26), "Nyepi 11 Mar and cuti bersama 12 Mar are skipped"),
        (D(2024, 4, 1), D(2024, 4, 29), "Idul Fitri 10-11 Apr and cuti bersama 8, 9, 12, 15 Apr are skipped"),
        (D(2025, 3, 19), D(2025, 4, 17), "Nyepi and Idul Fitri 2025 (six days off) are skipped"),
        (D(2024, 11, 22), D(2024, 12, 13), "the Pilkada voting day 27 Nov 2024 is a national holiday"),
    ],
)
def test_fourteen_working_days_skip_weekends_holidays_and_cuti_bersama(signed, due, why):
    assert schedule.add_working_days(signed, 14) == due, why


def test_weekend_only_count_would_differ_for_the_2025_psu():
    # Counting only weekends gives 8 Apr 2025; the holiday list moves the deadline to 17 Apr.
    assert schedule.add_working_days(D(2025, 3, 19), 14) - D(2025, 4, 8) == dt.timedelta(days=9)


def test_signing_on_a_holiday_counts_from_the_next_working_day():
    assert schedule.add_working_days(D(2024, 4, 10), 1) == D(2024, 4, 16)


def test_a_year_without_a_holiday_list_is_refused_not_guessed():
    with pytest.raises(schedule.CalendarNotCovered):
        schedule.add_working_days(D(2031, 1, 6), 14)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 11, 27), 5, D(2024, 6, 27)),
        (D(2024, 11, 27), 4, D(2024, 7, 27)),
        (D(2024, 11, 27), 1, D(2024, 10, 27)),
        (D(2024, 7, 31), 5, D(2024, 2, 29)),
        (D(2025, 1, 15), 1, D(2024, 12, 15)),
    ],
)
def test_months_before_voting_day(day, months, expected):
    assert schedule.months_before(day, months) == expected


def test_staged_41_2020_for_kpu_kukar_2024():
    plan = schedule.plan(
        steps("41-2020-bertahap"), amount=Decimal("76055000000"), signed_on=D(2023, 11, 10), voting_date=D(2024, 11, 27)
    )
    assert [(t.amount, t.due_on) for t in plan] == [
        (Decimal("30422000000"), D(2023, 11, 30)),
        (Decimal("45633000000"), D(2024, 6, 27)),
    ]


def test_lump_sum_41_2020_for_the_security_nphd():
    plan = schedule.plan(
        steps("41-2020-sekaligus"), amount=Decimal("8100000000"), signed_on=D(2024, 3, 4), voting_date=D(2024, 11, 27)
    )
    assert [(t.amount, t.due_on, t.share_pct) for t in plan] == [(Decimal("8100000000"), D(2024, 3, 26), 100)]


def test_original_54_2019_is_40_50_10_with_exact_rupiah():
    plan = schedule.plan(
        steps("54-2019"), amount=Decimal("1000000001"), signed_on=D(2024, 1, 15), voting_date=D(2024, 11, 27)
    )
    assert [t.amount for t in plan] == [Decimal("400000000"), Decimal("500000000"), Decimal("100000001")]
    assert [t.due_on for t in plan] == [D(2024, 2, 2), D(2024, 7, 27), D(2024, 10, 27)]
    assert plan[-1].cumulative == Decimal("1000000001")


def test_sen_go_to_the_last_tranche_so_the_sum_is_exact():
    plan = schedule.plan(
        steps("41-2020-bertahap"), amount=Decimal("100.55"), signed_on=D(2024, 1, 15), voting_date=D(2024, 11, 27)
    )
    assert [t.amount for t in plan] == [Decimal("40"), Decimal("60.55")]
    assert sum(t.amount for t in plan) == Decimal("100.55")


def test_deadline_before_signing_moves_to_the_first_tranche():
    # The PSU: NPHD 19 Mar 2025, voting 19 Apr 2025; "5 months before" was Nov 2024.
    plan = schedule.plan(
        steps("41-2020-bertahap"), amount=Decimal("1000"), signed_on=D(2025, 3, 19), voting_date=D(2025, 4, 19)
    )
    assert plan[1].due_on == plan[0].due_on == D(2025, 4, 17)
    assert "tenggat sudah lewat" in plan[1].rule


def test_tranche_states():
    tranches = [(1, D(2024, 3, 26), Decimal(400)), (2, D(2024, 6, 27), Decimal(600))]
    on_time = schedule.tranche_states(tranches, [(D(2024, 3, 20), Decimal(400))], today=D(2024, 6, 20))
    assert [(s.status, s.days_late) for s in on_time] == [("paid", 0), ("due", 0)]
    later = schedule.tranche_states(tranches, [(D(2024, 3, 20), Decimal(400))], today=D(2024, 7, 2))
    assert [(s.status, s.days_late) for s in later] == [("paid", 0), ("late", 5)]
    early = schedule.tranche_states(tranches, [], today=D(2024, 1, 2))
    assert [s.status for s in early] == ["upcoming", "upcoming"]


def test_paid_late_and_partly_paid():
    tranches = [(1, D(2024, 3, 26), Decimal(400)), (2, D(2024, 6, 27), Decimal(600))]
    events = [(D(2024, 4, 2), Decimal(400)), (D(2024, 6, 20), Decimal(100))]
    states = schedule.tranche_states(tranches, events, today=D(2024, 6, 21))
    assert (states[0].status, states[0].days_late) == ("paid", 7)
    assert (states[1].status, states[1].paid) == ("due", Decimal(100))


def test_a_reversed_disbursement_uncovers_the_tranche():
    tranches = [(1, D(2024, 3, 26), Decimal(400))]
    events = [(D(2024, 3, 20), Decimal(400)), (D(2024, 3, 22), Decimal(-400)), (D(2024, 3, 29), Decimal(400))]
    state = schedule.tranche_states(tranches, events, today=D(2024, 4, 1))[0]
    assert (state.status, state.days_late) == ("paid", 3)


def test_refund_deadline_is_three_months_after_the_proposal():
    assert schedule.refund_deadline(D(2025, 5, 12)) == D(2025, 8, 12)
    assert schedule.refund_deadline(D(2024, 11, 30)) == D(2025, 2, 28)
    assert schedule.refund_deadline(None) is None


def test_shares_must_add_up_to_100():
    with pytest.raises(ValueError, match="100"):
        schedule.validate_steps([schedule.Step(1, "x", Decimal(40), "signing", 14)])
