"""Late tranches and refund deadlines are notified once, to the right people, and reach the situation room."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.models import Notification
from sinergi.areas.models import Area
from sinergi.grants import services, situation
from sinergi.grants.alerts import alerts_send
from sinergi.grants.tests.factories import ELECTION, agreement_make, post

pytestmark = pytest.mark.django_db


def test_a_late_tranche_is_notified_once_to_finance_and_kesbangpol(users, personas):
    a = agreement_make(users["finance"], amount="1000")  # lump sum due 26 Mar 2024
    assert alerts_send(dt.date(2024, 3, 26)) == 0
    assert alerts_send(dt.date(2024, 3, 27)) == 1
    assert alerts_send(dt.date(2024, 3, 28)) == 0
    notified = set(Notification.objects.filter(source="grants").values_list("user__username", flat=True))
    assert notified == {"keuangan", "koordinator"}
    post(users["finance"], a, "disbursement", "1000", "d1")
    assert alerts_send(dt.date(2024, 4, 1)) == 0


def test_refund_deadline_warns_then_flags_late_and_tells_the_recipient(users, personas):
    a = agreement_make(users["finance"], amount="1000")
    post(users["finance"], a, "disbursement", "1000", "d1")
    post(users["kpu"], a, "spending", "900", "s1")
    services.ratification_set(actor=users["finance"], election_slug=ELECTION, proposed_on=dt.date(2024, 12, 10))
    assert alerts_send(dt.date(2024, 12, 20)) == 0  # deadline 10 Mar 2025 is far
    assert alerts_send(dt.date(2025, 2, 20)) == 1
    assert alerts_send(dt.date(2025, 3, 11)) == 1
    kpu_titles = list(Notification.objects.filter(user=users["kpu"]).values_list("title", flat=True))
    assert any("terlambat" in t for t in kpu_titles)
    post(users["kpu"], a, "refund", "100", "r1", entry_date=dt.date(2025, 3, 12))
    assert alerts_send(dt.date(2025, 3, 13)) == 0


def test_the_command_runs_for_a_given_day(users, capsys):
    agreement_make(users["finance"], amount="1000")
    call_command("grants_alerts", "--today", "2024-04-01")
    assert "1 peringatan hibah baru" in capsys.readouterr().out


def test_situation_room_functions(users, personas):
    a = agreement_make(users["finance"], amount="1000")
    post(users["finance"], a, "disbursement", "400", "d1")
    kukar = Area.objects.get(code="64.02")
    metrics = {m.key: m for m in situation.readiness(users["leader"], kukar)}
    assert metrics["grants.disbursed_pct"].value == 40.0 and metrics["grants.late_tranches"].value == 1
    items = situation.attention(users["leader"], kukar)
    assert len(items) == 1 and items[0].module == "grants"
    assert situation.readiness(personas.outsider, kukar) == []
    public = {m.key: m.value for m in situation.public_summary(kukar)}
    assert public["grants.disbursed"] == "Rp 400"
    assert situation.public_summary(Area.objects.get(code="64.72")) == []


def test_situation_attention_loads_no_more_than_it_shows(users, monkeypatch, django_assert_num_queries):
    for code in ["kpu-kukar", "bawaslu-kukar", "polres-kukar"]:
        agreement_make(users["finance"], recipient=code, amount="1000")  # lump sums, all late
    kukar = Area.objects.get(code="64.02")
    assert len(situation.attention(users["leader"], kukar)) == 3
    monkeypatch.setattr(situation, "ATTENTION_LIMIT", 2)
    # The module's state in a fixed four queries (memberships are cached on the user): totals, the late
    # count, the late tranches limited to what the room shows, and the refunds due.
    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(4):
        items = situation.attention(users["leader"], kukar)
    assert [i.urgency for i in items] == [80, 80]
    late_list = [q["sql"] for q in queries.captured_queries if "grants_tranche" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(late_list) == 1 and "LIMIT 2" in late_list[0]
