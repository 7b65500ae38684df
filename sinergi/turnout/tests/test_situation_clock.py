"""The situation room follows the election's clock (issue 15): on voting day it moves to the current
checkpoint by itself, and while a replay runs it follows the replay's simulated time."""

import datetime as dt

import pytest

from sinergi.areas.models import Area
from sinergi.conftest import client_for
from sinergi.situation.room import room_build
from sinergi.turnout.clock import replay_clock_set, replay_clock_stop
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning(election, operator):
    """Three TPS reported at 09.00, five at 11.00 (of the nine in the test world's Kukar)."""
    early = [ReportInput(tps_code=f"64.02.06.1001.00{i}", checkpoint="09", voters=40) for i in (1, 2, 3)]
    reports_submit(election=election, items=early, actor=operator, at=at(9, 5))
    tps = [f"64.02.06.1001.00{i}" for i in (1, 2, 3)] + ["64.02.06.2001.001", "64.02.06.2001.002"]
    later = [ReportInput(tps_code=code, checkpoint="11", voters=90) for code in tps]
    reports_submit(election=election, items=later, actor=operator, at=at(11, 5))
    return election


def _turnout_card(user) -> dict:
    room = room_build(user, Area.objects.get(code="64.02"))
    [section] = [s for s in room.live if s.module == "turnout"]
    return {m.key: m for m in section.metrics}


def test_on_voting_day_the_room_moves_to_the_current_checkpoint_by_itself(morning, personas, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(9, 40))
    card = _turnout_card(personas.coordinator)
    assert card["turnout.turnout_pct"].label == "Partisipasi Pilbup Kukar 2024 (pukul 09.00)"
    assert card["turnout.reported_pct"].label == "TPS sudah lapor (3 dari 9 TPS)"
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(11, 45))
    card = _turnout_card(personas.coordinator)
    assert card["turnout.turnout_pct"].label == "Partisipasi Pilbup Kukar 2024 (pukul 11.00)"
    assert card["turnout.reported_pct"].label == "TPS sudah lapor (5 dari 9 TPS)"


def test_during_a_replay_the_room_follows_the_replays_clock(morning, personas):
    web = client_for(personas.coordinator)
    # Two years after voting day, without a replay: the final count (nobody reported it here).
    assert "(hasil akhir)" in web.get("/situasi/64.02/").content.decode()
    replay_clock_set(morning, at(9, 40), speed=0.0, hold_for=dt.timedelta(minutes=5))
    html = web.get("/situasi/64.02/").content.decode()
    assert "Partisipasi Pilbup Kukar 2024 (pukul 09.00)" in html and "TPS sudah lapor (3 dari 9 TPS)" in html
    # The whole room is on the replay's voting day: the live panel first, refreshed every minute.
    assert "<b>Hari pemungutan suara</b>" in html and 'hx-trigger="every 60s"' in html
    assert html.index('id="live-panel"') < html.index('id="readiness-panel"')
    replay_clock_set(morning, at(11, 45), speed=0.0, hold_for=dt.timedelta(minutes=5))
    html = web.get("/situasi/64.02/").content.decode()
    assert "Partisipasi Pilbup Kukar 2024 (pukul 11.00)" in html
    assert html.index('id="attention-now"') < html.index("4 TPS belum lapor pukul 11.00")
    # 30 minutes after 11.00 the four silent TPS are something to act on now, at the top of the list.
    room = room_build(personas.coordinator, Area.objects.get(code="64.02"))
    assert room.attention[0].title == "4 TPS belum lapor pukul 11.00" and room.attention[0].actionable
    turnout_line = next(line for line in room.verdicts if line.module == "turnout")
    assert turnout_line.verdict.reason == "4 dari 9 TPS belum melapor pukul 11.00."
    replay_clock_stop(morning)
    html = web.get("/situasi/64.02/").content.decode()
    assert "(hasil akhir)" in html and "<b>Setelah pemungutan suara</b>" in html and "every 60s" not in html
