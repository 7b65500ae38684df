"""What the room lists first under "needs attention now" (situation.ranking, pure)."""

import datetime as dt

from sinergi.core.situation import AttentionItem
from sinergi.situation.ranking import FRESH_DAYS, HALF_LIFE_DAYS, effective_urgency, ranked

TODAY = dt.date(2026, 11, 30)


def _follow_up(days_overdue: int, n: int = 0) -> AttentionItem:
    """A rakor follow-up as the meetings module gives it: urgency capped at 95, aged from its due date."""
    return AttentionItem(
        95,
        f"Tindak lanjut {n}",
        "64.02",
        f"/rapat/tindak-lanjut/{n}/",
        "meetings",
        since=TODAY - dt.timedelta(days_overdue),
    )


def test_an_escalated_unanswered_incident_outranks_sixteen_stale_follow_ups():
    follow_ups = [_follow_up(750 + 3 * n, n) for n in range(16)]
    incident = AttentionItem(
        86,
        "Laporan LP-1: kekerasan (tereskalasi)",
        "64.02.06",
        "/laporan/1/",
        "incidents",
        actionable=True,
        since=dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC),
    )
    order = ranked([*follow_ups, incident], TODAY, limit=10)
    assert order[0] == incident
    assert len(order) == 10


def test_actionable_items_come_first_then_by_urgency():
    risk = AttentionItem(70, "Kerawanan tinggi: 64.02.06", "64.02.06", "/kerawanan/", "risk")
    missing = AttentionItem(85, "12 TPS belum lapor pukul 11.00", "64.02", "/partisipasi/", "turnout", actionable=True)
    tranche = AttentionItem(80, "Pencairan hibah terlambat", "64.02", "/hibah/", "grants", actionable=True)
    fresh_follow_up = _follow_up(2)
    assert ranked([risk, fresh_follow_up, tranche, missing], TODAY) == [missing, tranche, fresh_follow_up, risk]


def test_an_old_actionable_item_is_no_longer_acted_on_first():
    old_voting_day = AttentionItem(
        85, "TPS belum lapor", "64.02", "/p/", "turnout", actionable=True, since=TODAY - dt.timedelta(days=700)
    )
    risk = AttentionItem(70, "Kerawanan tinggi", "64.02.06", "/k/", "risk")
    assert [a.title for a in ranked([old_voting_day, risk], TODAY)] == [risk.title, old_voting_day.title]


def test_the_urgency_shown_is_the_one_the_list_is_sorted_by():
    stale, fresh = _follow_up(FRESH_DAYS + HALF_LIFE_DAYS, 1), _follow_up(3, 2)
    shown = ranked([stale, fresh], TODAY)
    assert [(a.title, a.urgency) for a in shown] == [(fresh.title, 95), (stale.title, 48)]


def test_urgency_halves_every_half_life_after_the_fresh_days():
    assert effective_urgency(_follow_up(FRESH_DAYS), TODAY) == 95
    assert effective_urgency(_follow_up(FRESH_DAYS + HALF_LIFE_DAYS), TODAY) == 47.5
    assert effective_urgency(_follow_up(FRESH_DAYS + 2 * HALF_LIFE_DAYS), TODAY) == 23.75
    assert effective_urgency(_follow_up(760), TODAY) < 1
    # Items about the present state (no `since`) never age.
    assert effective_urgency(AttentionItem(70, "x", "64", "/", "risk"), TODAY) == 70


def test_old_items_age_out_of_the_top():
    fresh = [_follow_up(3, n) for n in range(5)]
    stale = [_follow_up(400, 10 + n) for n in range(30)]
    top = ranked([*stale, *fresh], TODAY, limit=5)
    assert {a.title for a in top} == {a.title for a in fresh}
