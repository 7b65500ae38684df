"""Tranche schedules and their status: plain data in, plain data out (no ORM).

"14 days after the NPHD" is read as 14 Indonesian working days (hari kerja): Monday to Friday,
skipping the national holidays (hari libur nasional) and the collective leave days (cuti bersama)
of the yearly SKB 3 Menteri, on which the regional treasury issues no SP2D. The signing day itself
is day 0. The holiday list ships in `data/hari_libur.csv`; a date in a year the list does not cover
is refused rather than guessed (see docs/grants.md).
"""

import calendar
import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

HOLIDAY_FILE = Path(__file__).resolve().parent / "data" / "hari_libur.csv"
DUE_SOON_DAYS = 14
HUNDRED = Decimal(100)


class CalendarNotCovered(ValueError):
    """The holiday list has no entries for a year a working-day count runs through."""


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    kind: str  # "libur" (national holiday) or "cuti_bersama"
    name: str
    source: str


@lru_cache(maxsize=1)
def holidays() -> tuple[Holiday, ...]:
    with HOLIDAY_FILE.open(encoding="utf-8") as handle:
        return tuple(
            Holiday(dt.date.fromisoformat(r["date"]), r["kind"], r["name"], r["source"]) for r in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def _holiday_index() -> tuple[frozenset[dt.date], frozenset[int]]:
    rows = holidays()
    return frozenset(h.date for h in rows), frozenset(h.date.year for h in rows)


def is_working_day(day: dt.date) -> bool:
    dates, years = _holiday_index()
    if day.year not in years:
        raise CalendarNotCovered(_("daftar hari libur belum memuat tahun %(year)s") % {"year": day.year})
    return day.weekday() < 5 and day not in dates


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date `count` working days after `start` (start itself is day 0)."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier, clamped to the month's end (31 Jul - 5 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Step:
    seq: int
    label: str
    share_pct: Decimal
    anchor: str  # "signing" | "voting_day"
    working_days: int | None = None
    months_before: int | None = None


@dataclass(frozen=True)
class PlannedTranche:
    seq: int
    label: str
    share_pct: Decimal
    amount: Decimal
    cumulative: Decimal
    due_on: dt.date
    rule: str


def validate_steps(steps: Sequence[Step]) -> None:
    if not steps:
        raise ValueError("a policy needs at least one tranche")
    total = sum((s.share_pct for s in steps), Decimal(0))
    if total != HUNDRED:
        raise ValueError(f"tranche shares add up to {total} %, not 100 %")


def plan(steps: Sequence[Step], *, amount: Decimal, signed_on: dt.date, voting_date: dt.date) -> list[PlannedTranche]:
    """Tranches with amounts exact to the rupiah: each is its share rounded down to whole rupiah
    and the last takes the remainder, so they always add up to the agreement amount.

    A deadline counted back from voting day can fall before the NPHD was signed (a late NPHD, or a
    re-vote weeks away); the tranche is then due with the first tranche, and its rule says why."""
    validate_steps(steps)
    ordered = sorted(steps, key=lambda s: s.seq)
    first_due = _due(ordered[0], signed_on, voting_date)
    planned: list[PlannedTranche] = []
    running = Decimal(0)
    for index, step in enumerate(ordered):
        last = index == len(ordered) - 1
        share = amount - running if last else (amount * step.share_pct / HUNDRED).quantize(Decimal(1), ROUND_DOWN)
        running += share
        due, rule = _due(step, signed_on, voting_date), _rule(step)
        if due < first_due:
            due, rule = first_due, rule + " (tenggat sudah lewat saat NPHD ditandatangani; ikut tahap pertama)"
        planned.append(PlannedTranche(step.seq, step.label, step.share_pct, share, running, due, rule))
    return planned


def _due(step: Step, signed_on: dt.date, voting_date: dt.date) -> dt.date:
    if step.anchor == "signing":
        return add_working_days(signed_on, step.working_days or 0)
    return months_before(voting_date, step.months_before or 0)


def _rule(step: Step) -> str:
    if step.anchor == "signing":
        return f"≤ {step.working_days} hari kerja setelah NPHD"
    return f"≤ {step.months_before} bulan sebelum hari pemungutan suara"


@dataclass(frozen=True)
class TrancheState:
    seq: int
    due_on: dt.date
    amount: Decimal
    paid: Decimal  # how much of this tranche the disbursements so far cover
    status: str  # upcoming | due | paid | late (and "void" for the unpaid rest of a closed NPHD)
    days_late: int  # for a late tranche: days past due; for a paid one: days it was paid late


def tranche_states(
    tranches: Iterable[tuple[int, dt.date, Decimal]],
    disbursements: Iterable[tuple[dt.date, Decimal]],
    *,
    today: dt.date,
) -> list[TrancheState]:
    """Allocate disbursements to tranches in order (first tranche first) and judge each one.

    `disbursements` are (date, signed amount) ledger lines of the disbursed account, corrections
    included; a tranche is paid on the date the running total first covered it for good."""
    events = sorted(disbursements, key=lambda e: e[0])
    result = []
    cumulative_needed = Decimal(0)
    total_paid = sum((amount for _, amount in events), Decimal(0))
    for seq, due_on, amount in sorted(tranches, key=lambda t: t[0]):
        before = cumulative_needed
        cumulative_needed += amount
        paid = min(max(total_paid - before, Decimal(0)), amount)
        if paid >= amount:
            covered_on = _covered_on(events, cumulative_needed)
            late = max((covered_on - due_on).days, 0) if covered_on else 0
            result.append(TrancheState(seq, due_on, amount, paid, "paid", late))
        elif today > due_on:
            result.append(TrancheState(seq, due_on, amount, paid, "late", (today - due_on).days))
        elif (due_on - today).days <= DUE_SOON_DAYS:
            result.append(TrancheState(seq, due_on, amount, paid, "due", 0))
        else:
            result.append(TrancheState(seq, due_on, amount, paid, "upcoming", 0))
    return result


def _covered_on(events: Sequence[tuple[dt.date, Decimal]], needed: Decimal) -> dt.date | None:
    """The last date on which the running total rose to `needed` (and stayed there)."""
    running = Decimal(0)
    covered: dt.date | None = None
    for day, amount in events:
        running += amount
        if running >= needed and covered is None:
            covered = day
        elif running < needed:
            covered = None
    return covered


def refund_deadline(proposed_on: dt.date | None) -> dt.date | None:
    """Unused money goes back to the kas daerah within 3 months of the ratification proposal."""
    if proposed_on is None:
        return None
    index = proposed_on.year * 12 + proposed_on.month - 1 + 3
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(proposed_on.day, last))
