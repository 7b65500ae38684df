"""Properties of the disbursement schedule arithmetic (grants.schedule, pure): working days, month
steps, exact tranche amounts and how disbursements are allocated to tranches."""

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sinergi.grants import schedule
from sinergi.grants.schedule import Step

# The holiday list covers 2023 to 2025; a count running past it is refused (test_schedule.py).
DAYS = st.dates(min_value=dt.date(2023, 1, 2), max_value=dt.date(2025, 10, 31))
RUPIAH = st.decimals(min_value=Decimal(1), max_value=Decimal(10**12), places=0)
CENTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2)


@given(DAYS, st.integers(min_value=0, max_value=30))
def test_n_working_days_later_is_a_working_day_with_n_working_days_in_between(start, count):
    end = schedule.add_working_days(start, count)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(schedule.is_working_day(day) for day in between) == count
    assert (count == 0 and end == start) or schedule.is_working_day(end)
    assert schedule.add_working_days(start, count + 1) > end


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 60))
def test_months_before_lands_in_the_right_month_on_the_same_day_or_its_end(day, months):
    earlier = schedule.months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or (earlier.day < day.day and (earlier + dt.timedelta(days=1)).day == 1)


@st.composite
def policies(draw) -> list[Step]:
    """One to five tranches whose shares (whole per cents) add up to 100 %."""
    count = draw(st.integers(1, 5))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=count - 1, max_size=count - 1, unique=True)))
    bounds = [0, *cuts, 10000]
    shares = [Decimal(b - a) / 100 for a, b in itertools.pairwise(bounds)]
    return [
        Step(i + 1, f"Tahap {i + 1}", share, "signing", working_days=draw(st.integers(0, 20)))
        for i, share in enumerate(shares)
    ]


@given(policies(), RUPIAH, DAYS)
def test_tranches_add_up_to_the_amount_exactly_in_whole_rupiah(steps, amount, signed_on):
    planned = schedule.plan(steps, amount=amount, signed_on=signed_on, voting_date=dt.date(2025, 12, 1))
    assert sum(t.amount for t in planned) == amount == planned[-1].cumulative
    assert all(t.amount == t.amount.to_integral_value() and t.amount >= 0 for t in planned)
    # Each tranche but the last is its share rounded down; the last takes what is left.
    for tranche in planned[:-1]:
        assert amount * tranche.share_pct / 100 - 1 < tranche.amount <= amount * tranche.share_pct / 100
    assert all(t.due_on >= planned[0].due_on for t in planned)


@given(
    st.lists(CENTS, min_size=1, max_size=5),
    st.lists(st.tuples(DAYS, CENTS), max_size=6),
    DAYS,
)
def test_disbursements_fill_the_tranches_in_order_and_never_beyond(amounts, disbursed, today):
    tranches = [(i + 1, dt.date(2024, 1, 1) + dt.timedelta(days=30 * i), a) for i, a in enumerate(amounts)]
    states = schedule.tranche_states(tranches, disbursed, today=today)
    total = sum((amount for _, amount in disbursed), Decimal(0))
    assert sum(s.paid for s in states) == min(total, sum(amounts))
    assert all(0 <= s.paid <= s.amount for s in states)
    # Filled in order: a tranche is paid only when every one before it is.
    paid = [s.status == "paid" for s in states]
    assert paid == sorted(paid, reverse=True)
    for state in states:
        assert state.status != "late" or (today > state.due_on and state.days_late == (today - state.due_on).days)
