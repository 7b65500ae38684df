"""The election's clock: the real now, or a running replay's simulated now, which the board follows."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sinergi.conftest import client_for
from sinergi.turnout.clock import election_now, replay_clock_set, replay_clock_stop
from sinergi.turnout.models import ReplayClock
from sinergi.turnout.plan import PlannedReport
from sinergi.turnout.replay import play
from sinergi.turnout.tests.conftest import TPS, at

pytestmark = pytest.mark.django_db


def test_without_a_replay_the_clock_is_the_real_now(election):
    before = timezone.now()
    now = election_now(election)
    assert before <= now <= timezone.now() and now.tzinfo == dt.UTC


def test_a_replay_clock_runs_at_its_speed_and_expires(election):
    real = timezone.now()
    replay_clock_set(election, at(10, 0), speed=60.0, hold_for=dt.timedelta(seconds=30))
    # 30 real seconds later at 60x: half an hour further on voting day.
    assert election_now(election, real_now=real + dt.timedelta(seconds=30)) == pytest.approx(
        at(10, 30), abs=dt.timedelta(seconds=5)
    )
    # Not refreshed for longer than the wait plus the margin: a killed replay steers nothing.
    later = real + dt.timedelta(minutes=5)
    assert election_now(election, real_now=later) == later


def test_a_stopped_replay_gives_the_real_clock_back(election):
    replay_clock_set(election, at(9, 30), speed=0.0)
    assert election_now(election) == at(9, 30)
    replay_clock_stop(election)
    assert abs(election_now(election) - timezone.now()) < dt.timedelta(seconds=5)


def test_board_and_public_page_follow_the_replay_clock(election, personas):
    client = client_for(personas.coordinator)
    # Long after voting day the board shows the final checkpoint.
    assert client.get("/partisipasi/64.02/").context["checkpoint"].code == "final"
    replay_clock_set(election, at(11, 20), speed=0.0)
    response = client.get("/partisipasi/64.02/")
    assert response.context["checkpoint"].code == "11"
    body = response.content.decode()
    # The live refresh is not pinned to a checkpoint: it moves on with the clock.
    assert f'/partisipasi/64.02/live/?pemilihan={election.slug}"' in body
    replay_clock_set(election, at(13, 5), speed=0.0)
    assert client.get("/partisipasi/64.02/live/").context["checkpoint"].code == "13"
    cache.clear()  # the public page is cached for a minute per address
    assert "Pukul 13.00" in Client().get("/partisipasi/publik/64.02/").content.decode()
    # A picked checkpoint stays picked.
    assert client.get("/partisipasi/64.02/?titik=09").context["checkpoint"].code == "09"


def test_replay_sets_the_clock_while_it_plays_and_clears_it(election, operator):
    plan = [
        PlannedReport(TPS, "09", 60, dt.datetime(2024, 11, 27, 9, 12), "primary"),
        PlannedReport(TPS, "11", 150, dt.datetime(2024, 11, 27, 11, 7), "primary"),
    ]
    seen = []
    play(plan, election, {"primary": operator}, say=lambda _: seen.append(election_now(election)))
    assert seen == [at(9, 12), at(11, 7)]
    assert not ReplayClock.objects.exists()


def test_replay_command_prints_a_link_to_the_board(election, operator, capsys):
    call_command("replay_voting_day", election=election.slug, speed=0, turnout=50, reporter="kpu.kukar")
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:8000/partisipasi/64.02/?pemilihan={election.slug}" in out
    assert not ReplayClock.objects.exists()


def test_the_public_page_is_one_copy_per_address_in_the_language_it_names(election):
    reader = Client()
    reader.cookies["django_language"] = "en"
    assert "Partisipasi pemilih" in reader.get("/partisipasi/publik/64.02/").content.decode()
    english = Client().get("/partisipasi/publik/64.02/?bahasa=en")
    assert english["Content-Language"] == "en" and "Voter turnout" in english.content.decode()
    # The Indonesian copy cached a moment ago is still served at its own address.
    assert "Partisipasi pemilih" in Client().get("/partisipasi/publik/64.02/").content.decode()


def test_a_page_reads_the_replay_clock_once_however_often_it_asks(election, operator, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    replay_clock_set(election, at(11, 5), speed=0.0)
    client.force_login(operator)
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/situasi/64.02/").status_code == 200
    assert sum('"turnout_replayclock"' in q["sql"] for q in seen.captured_queries) == 1
    # Outside a request (the worker, a command) each question reads the row: a new step is seen at once.
    assert election_now(election) == at(11, 5)
    replay_clock_set(election, at(13, 5), speed=0.0)
    assert election_now(election) == at(13, 5)
