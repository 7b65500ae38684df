"""The single-report fast path (turnout/fastpath.py): round trips pinned as production runs them
(autocommit, no test transaction around the request), the guarded write, and its fallback.

Counts per request, authentication included (token, membership):
- a new report: token, membership, the slot read, the write statement (PostgreSQL: one CTE;
  SQLite: BEGIN, INSERT, UPDATE of a short transaction);
- a retry: token, membership, the slot read (which carries the stored report).
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.models import ApiToken
from sinergi.accounts.tokens import token_create, token_user
from sinergi.core.sms import sms_receive
from sinergi.turnout import fastpath
from sinergi.turnout.models import Checkpoint, Report, Slot
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import TPS
from sinergi.turnout.voting_day import checkpoints_of

URL = "/api/v1/turnout/reports"
PHONE = "+62 812 1111 2222"  # the operator's phone


def write_statements() -> int:
    """The write: one CTE statement in autocommit on PostgreSQL; BEGIN IMMEDIATE, INSERT, UPDATE,
    COMMIT on SQLite."""
    return 1 if connection.vendor == "postgresql" else 4


def post(client: Client, headers: dict, body: dict):
    return client.post(URL, body, content_type="application/json", headers=headers)


def warm(client: Client, headers: dict) -> None:
    """One report first, so the per-process caches (election, checkpoints, rules) and the token's
    `last_used_at` are as they are in the middle of a burst."""
    assert post(client, headers, {"tps_code": "64.02.05.2001.003", "checkpoint": "09", "voters": 10}).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_a_single_api_report_costs_four_round_trips_and_a_retry_three(election, operator):
    client, headers = Client(), {"Authorization": f"Bearer {token_create(user=operator)}"}
    warm(client, headers)
    body = {"tps_code": TPS, "checkpoint": "11", "voters": 145, "client_id": "hp-1"}
    with CaptureQueriesContext(connection) as new:
        first = post(client, headers, body)
    assert first.status_code == 201, first.content
    assert len(new) == 3 + write_statements(), [q["sql"][:80] for q in new.captured_queries]
    with CaptureQueriesContext(connection) as retry:
        again = post(client, headers, body)
    assert len(retry) == 3, [q["sql"][:80] for q in retry.captured_queries]
    assert again.status_code == 200
    assert again.json()["results"] == [{**first.json()["results"][0], "duplicate": True}]
    slot = Slot.objects.select_related("current").get(tps_id=TPS, checkpoint__code="11")
    assert slot.current is not None
    assert (slot.versions, slot.voters, slot.current.client_id, slot.current.version) == (1, 145, "hp-1", 1)
    assert Report.objects.filter(client_id="hp-1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_noop_baseline_costs_the_two_authentication_queries(election, operator):
    client, headers = Client(), {"Authorization": f"Bearer {token_create(user=operator)}"}
    warm(client, headers)
    with CaptureQueriesContext(connection) as noop:
        response = client.post(
            "/api/v1/turnout/noop",
            {"tps_code": TPS, "checkpoint": "11", "voters": 1},
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 200 and len(noop) == 2


@pytest.mark.django_db(transaction=True)
def test_an_sms_report_and_its_gateway_retry(election, operator):
    assert sms_receive(sender=PHONE, text="TPS 64.02.05.2001.003 09 10", message_id="warm").ok
    with CaptureQueriesContext(connection) as new:
        reply = sms_receive(sender=PHONE, text=f"TPS {TPS} 11 145", message_id="gw-1")
    assert reply.ok and "(versi 1)" in reply.text, reply.text
    # seen-message lookup, user by phone, membership, the slot read, the write, the message log insert
    # (one statement in autocommit). The election is found in memory from the cached list: no query.
    assert len(new) == 3 + 1 + write_statements() + 1, "\n".join(q["sql"][:60] for q in new.captured_queries)
    with CaptureQueriesContext(connection) as retry:
        assert sms_receive(sender=PHONE, text=f"TPS {TPS} 11 145", message_id="gw-1").text == reply.text
    assert len(retry) == 1  # the gateway's retry is answered from the message log
    assert Report.objects.filter(client_id="sms:gw-1").count() == 1


@pytest.mark.django_db
def test_a_client_id_reused_for_another_tps_is_a_409_from_the_fast_read(election, operator, bearer, client):
    headers = bearer(operator)
    assert (
        post(client, headers, {"tps_code": TPS, "checkpoint": "11", "voters": 145, "client_id": "x"}).status_code == 201
    )
    other = post(
        client, headers, {"tps_code": "64.02.06.1001.002", "checkpoint": "11", "voters": 145, "client_id": "x"}
    )
    assert other.status_code == 409 and other.json()["code"] == "conflict"
    assert f"TPS {TPS}, titik 11, 145 pemilih" in other.json()["detail"]  # the operator reads that TPS
    assert Report.objects.count() == 1
    assert Slot.objects.get(tps_id="64.02.06.1001.002", checkpoint__code="11").versions == 0


@pytest.mark.django_db
def test_flags_and_versions_follow_the_stored_numbers(election, operator):
    at = dt.datetime(2024, 11, 27, 3, 5, tzinfo=dt.UTC)  # 11.05 WITA
    first = reports_submit(election=election, items=[ReportInput(TPS, "09", 90)], actor=operator, at=at)
    assert first[0].flags == [] or {f["rule"] for f in first[0].flags} == {"off_schedule"}
    [lower] = reports_submit(election=election, items=[ReportInput(TPS, "11", 80)], actor=operator, at=at)
    assert lower.version == 1 and [f["rule"] for f in lower.flags] == ["below_previous"]
    [fixed] = reports_submit(election=election, items=[ReportInput(TPS, "11", 120)], actor=operator, at=at)
    assert fixed.version == 2 and fixed.flags == []
    slot = Slot.objects.select_related("current").get(tps_id=TPS, checkpoint__code="11")
    assert slot.current is not None
    assert (slot.versions, slot.voters, slot.flagged, slot.current.version) == (2, 120, False, 2)
    assert slot.reported_at == at and slot.current.submitted_at == at and slot.current.reporter == operator


@pytest.mark.django_db
def test_a_stale_snapshot_writes_nothing_and_the_locked_path_takes_over(election, operator):
    checkpoints = checkpoints_of(election)
    eleven = checkpoints["11"]
    stale = fastpath.slot_read(eleven, fastpath.previous_checkpoint(eleven, checkpoints), TPS, "late")
    assert stale is not None and stale.versions == 0
    reports_submit(election=election, items=[ReportInput(TPS, "11", 100, client_id="early")], actor=operator)
    report = Report(
        slot_id=stale.slot_id,
        version=1,
        client_id="late",
        voters=150,
        reporter=operator,
        channel="api",
        submitted_at=dt.datetime.now(dt.UTC),
        flags=[],
    )
    assert fastpath.report_write(stale, report, flagged=False) is None
    slot = Slot.objects.get(pk=stale.slot_id)
    assert (slot.versions, slot.voters) == (1, 100) and not Report.objects.filter(client_id="late").exists()
    # Through the service the same report lands as version 2, after the one that got in first.
    [late] = reports_submit(election=election, items=[ReportInput(TPS, "11", 150, client_id="late")], actor=operator)
    slot.refresh_from_db()
    assert late.version == 2 and (slot.versions, slot.voters, slot.current_id) == (
        2,
        150,
        Report.objects.get(client_id="late").pk,
    )


@pytest.mark.django_db
def test_an_unknown_tps_still_names_the_error(election, operator):
    from sinergi.core.errors import NotFound

    with pytest.raises(NotFound, match="bukan TPS Pilbup Kukar 2024"):
        reports_submit(election=election, items=[ReportInput("64.02.06.1001.099", "11", 1)], actor=operator)


@pytest.mark.django_db
def test_the_switch_sends_single_reports_through_the_locked_path(election, operator, settings):
    settings.SINERGI_TURNOUT_FAST_PATH = False
    with CaptureQueriesContext(connection) as locked:
        [result] = reports_submit(election=election, items=[ReportInput(TPS, "11", 100, client_id="a")], actor=operator)
    assert result.version == 1 and not any("WITH slot AS" in q["sql"] for q in locked.captured_queries)
    assert any("FOR UPDATE" in q["sql"] for q in locked.captured_queries) == (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_token_last_used_is_written_at_most_every_interval(operator, settings):
    settings.SINERGI_TOKEN_TOUCH_SECONDS = 300
    key = token_create(user=operator)
    token = ApiToken.objects.get(user=operator)
    with CaptureQueriesContext(connection) as first:
        assert token_user(key) == operator
    token.refresh_from_db()
    assert len(first) == 2 and token.last_used_at is not None  # never used: looked up and stamped
    stamped = token.last_used_at
    with CaptureQueriesContext(connection) as soon:
        assert token_user(key) == operator
    token.refresh_from_db()
    assert len(soon) == 1 and token.last_used_at == stamped  # within the interval: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stamped - dt.timedelta(seconds=301))
    with CaptureQueriesContext(connection) as later:
        assert token_user(key) == operator
    token.refresh_from_db()
    assert len(later) == 2 and token.last_used_at > stamped


@pytest.mark.django_db
def test_previous_checkpoint_is_the_one_ordered_before(election):
    checkpoints = checkpoints_of(election)
    orders = sorted(checkpoints.values(), key=lambda c: c.order)
    assert fastpath.previous_checkpoint(orders[0], checkpoints) is None
    assert fastpath.previous_checkpoint(orders[2], checkpoints) == orders[1]
    assert isinstance(orders[1], Checkpoint)
