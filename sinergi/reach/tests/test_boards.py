"""The delivery board (sent, delivered, failed, replied per area) with threaded replies, and the
rehearsal readiness board on hand-made data; query counts pinned and the pages' figures asserted."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.areas.models import Area
from sinergi.conftest import client_for
from sinergi.messaging.delivery import apply_status
from sinergi.messaging.inbound import receive
from sinergi.messaging.models import InboundMessage, OutboundMessage, Status
from sinergi.reach import selectors, services
from sinergi.reach.models import Broadcast, ContactLog
from sinergi.reach.models import TestReport as RehearsalReport
from testkit.builders import user_make

TENGGARONG = "64.02.06"


def _test_broadcast(actor):
    broadcast, _ = services.broadcast_create(
        actor=actor, area_code=TENGGARONG, roles=[], agency_kinds=["kpps"], text="Gladi hari ini", is_test=True
    )
    return broadcast


def _message(broadcast, user):
    return OutboundMessage.objects.get(batch=broadcast.batch, user=user)


def _set(message, status):
    with transaction.atomic():
        if status != Status.SENT:
            apply_status(message, Status.SENT, "", timezone.now(), source="callback")
        apply_status(
            message, status, "gateway says no" if status == Status.FAILED else "", timezone.now(), source="callback"
        )


@pytest.mark.django_db
def test_delivery_board_counts_and_threads_replies(roster, personas, django_assert_num_queries):
    broadcast = _test_broadcast(personas.coordinator)
    assert (
        broadcast.batch.startswith("gladi:")
        and "OK " + broadcast.code in _message(broadcast, roster.kpps["64.02.06.1001.001"]).text
    )
    sukarame = [roster.kpps[f"64.02.06.1001.00{n}"] for n in (1, 2, 3)]
    bukit = [roster.kpps[f"64.02.06.2001.00{n}"] for n in (1, 2, 3)]
    _set(_message(broadcast, sukarame[0]), Status.DELIVERED)
    _set(_message(broadcast, sukarame[1]), Status.DELIVERED)
    _set(_message(broadcast, sukarame[2]), Status.FAILED)
    _set(_message(broadcast, bukit[0]), Status.DELIVERED)
    _set(_message(broadcast, bukit[1]), Status.SENT)  # bukit[2] stays queued
    # Two recipients answer by SMS: messaging threads each reply to the broadcast's message.
    for n, user in enumerate([sukarame[0], bukit[1]]):
        got = receive(
            channel="sms",
            provider="android",
            address=user.person.phones.get().e164,
            text=f"OK {broadcast.code}",
            provider_message_id=f"in-{n}",
        )
        assert got.message.in_reply_to_id == _message(broadcast, user).pk
    # A text from someone else to no broadcast is not a reply to it.
    receive(channel="sms", provider="android", address="+6281399999999", text="halo", provider_message_id="x")

    broadcast = Broadcast.objects.select_related("area").get(pk=broadcast.pk)  # as the page's access rule loads it
    with django_assert_num_queries(2):
        board = selectors.delivery_board(broadcast)
    rows = {r.code: r for r in board.rows}
    assert [rows["64.02.06.1001"].recipients, rows["64.02.06.1001"].delivered, rows["64.02.06.1001"].failed] == [
        3,
        2,
        1,
    ]
    assert rows["64.02.06.1001"].replied == 1 and rows["64.02.06.1001"].name == "Sukarame"
    bukit_row = rows["64.02.06.2001"]
    assert (bukit_row.queued, bukit_row.sent, bukit_row.delivered, bukit_row.failed, bukit_row.replied) == (
        1,
        1,
        1,
        0,
        1,
    )
    total = board.total
    assert (total.recipients, total.delivered, total.failed, total.replied) == (6, 3, 1, 2)
    replies = selectors.broadcast_replies(broadcast)
    assert {r.user_id for r in replies} == {sukarame[0].pk, bukit[1].pk}

    page = client_for(personas.coordinator).get(f"/jangkauan/siaran/{broadcast.pk}/").content.decode()
    assert 'id="board-total"><th>Jumlah</th><th class="num">6</th>' in page
    assert f"OK {broadcast.code}" in page and "Sukarame" in page
    assert 'hx-trigger="every 5s"' in page  # one queued and one sent: the board refreshes itself
    api = client_for(personas.coordinator).get(f"/api/v1/jangkauan/broadcasts/{broadcast.pk}").json()
    assert api["total"]["replied"] == 2 and api["total"]["delivered"] == 3


@pytest.mark.django_db
def test_delivery_board_queries_do_not_grow_with_recipients(roster, personas, django_assert_num_queries):
    small, _ = services.broadcast_create(
        actor=personas.coordinator, area_code="64.02.06.1001", roles=[], agency_kinds=["kpps"], text="kecil"
    )
    big, _ = services.broadcast_create(
        actor=personas.coordinator, area_code="64.02", roles=[], agency_kinds=[], text="besar"
    )
    assert big.recipient_count > 3 * small.recipient_count
    for broadcast in Broadcast.objects.select_related("area").filter(pk__in=[small.pk, big.pk]):
        with django_assert_num_queries(2):
            board = selectors.delivery_board(broadcast)
        # Every recipient is on the board, under a child area of the broadcast's area.
        assert sum(row.recipients for row in board.rows) == broadcast.recipient_count
        assert board.rows and all(row.code.startswith(broadcast.area.code) for row in board.rows)
    # Regency staff sit at 64.02 itself; the rest under its two kecamatan.
    assert [row.code for row in selectors.delivery_board(big).rows] == ["64.02", "64.02.05", "64.02.06"]


def _hand_made(roster, personas):
    """Tenggarong has 15 on the roster: 6 KPPS, 6 supervisors, 2 PPS and... not the field officer
    persona (no Person). Activated 8, logged in within 7 days 4 (one more 10 days ago), test reports
    from 5 people: 2 on the web, 1 GLADI by WhatsApp, 1 reply to the test broadcast by SMS, 1 by both."""
    now = timezone.now()
    people = [roster.kpps[t] for t in sorted(roster.kpps) if t.startswith(TENGGARONG)]
    people += [roster.ptps[t] for t in sorted(roster.ptps) if t.startswith(TENGGARONG)]
    people += [roster.pps["64.02.06.1001"], roster.pps["64.02.06.2001"]]
    assert len(people) == 14
    for user in people[:8]:
        user.person.activated_at = now - timedelta(days=3)
        user.person.save()
    for user in people[:4]:
        user.last_login = now - timedelta(days=1)
        user.save()
    people[4].last_login = now - timedelta(days=10)
    people[4].save()
    services.test_report_record(user=people[0], channel="web")
    services.test_report_record(user=people[6], channel="web")
    receive(
        channel="whatsapp",
        provider="whatsapp",
        address=people[7].person.phones.get().e164,
        text="GLADI",
        provider_message_id="w1",
    )
    broadcast = _test_broadcast(personas.coordinator)
    receive(
        channel="sms",
        provider="android",
        address=people[1].person.phones.get().e164,
        text=f"OK {broadcast.code}",
        provider_message_id="s1",
    )
    receive(
        channel="sms",
        provider="android",
        address=people[2].person.phones.get().e164,
        text=f"OK {broadcast.code}",
        provider_message_id="s2",
    )
    services.test_report_record(user=people[2], channel="web")
    # Outside Tenggarong: does not count here.
    services.test_report_record(user=roster.kpps["64.02.05.2001.001"], channel="web")
    return people


@pytest.mark.django_db
def test_readiness_shares_on_hand_made_data(roster, personas, django_assert_num_queries):
    people = _hand_made(roster, personas)
    area = Area.objects.get(code=TENGGARONG)
    with django_assert_num_queries(5):
        board = selectors.readiness(area)
    total = board.total
    assert (total.staff, total.activated, total.logged_in, total.tested) == (14, 8, 4, 5)
    assert (total.activated_pct, total.logged_in_pct, total.tested_pct) == (57.1, 28.6, 35.7)
    # Not logged in within 7 days and not heard from: 14 - (people 0..3 logged in) - (6, 7 tested) = 8.
    assert total.unreachable == 8
    assert board.by_channel == {"sms": 2, "whatsapp": 1, "telegram": 0, "email": 0, "web": 3}
    rows = {r.code: r for r in board.rows}
    assert set(rows) == {"64.02.06.1001", "64.02.06.2001"}
    assert rows["64.02.06.1001"].staff + rows["64.02.06.2001"].staff == 14
    assert sum(r.tested for r in rows.values()) == 5

    called = people[10]
    services.contact_record(actor=personas.coordinator, area_code=TENGGARONG, person_id=called.pk, outcome="no_answer")
    with django_assert_num_queries(1):
        listed = list(selectors.unreachable(TENGGARONG))
    assert len(listed) == 8 and people[4] in listed and people[0] not in listed and people[6] not in listed
    last: Any = listed[-1]
    assert last == called and last.last_outcome == "no_answer" and last.contacts == 1
    assert getattr(listed[0], "first_phone", "").startswith("+62812")

    page = client_for(personas.coordinator).get(f"/jangkauan/gladi/{TENGGARONG}/").content.decode()
    assert 'id="tested">35,7 %' in page or 'id="tested">35.7 %' in page
    assert 'id="unreachable"><a href="/jangkauan/telepon/64.02.06/">8</a>' in page
    api = client_for(personas.coordinator).get(f"/api/v1/jangkauan/areas/{TENGGARONG}/readiness").json()
    assert api["total"]["tested"] == 5 and api["by_channel"]["whatsapp"] == 1 and api["unreachable"] == 8


@pytest.mark.django_db
def test_readiness_queries_do_not_grow_with_people(roster, personas, django_assert_num_queries):
    _hand_made(roster, personas)
    boards = {}
    for area in Area.objects.filter(code__in=["64.02.06.1001", "64.02", "64"]):
        with django_assert_num_queries(5):
            boards[area.code] = selectors.readiness(area)
    # Each desa has a PPS head and a KPPS head and a TPS supervisor for each of its three TPS.
    staff = {code: board.total.staff for code, board in boards.items()}
    assert staff == {"64.02.06.1001": 7, "64.02": 21, "64": 21}
    # Kukar counts Tenggarong's five tests and the one from Muara Badak; the province the same.
    assert boards["64.02"].total.tested == boards["64"].total.tested == 6
    assert [row.code for row in boards["64.02"].rows] == ["64.02.05", "64.02.06"]


@pytest.mark.django_db
def test_call_list_phones_only_for_callers_and_contact_log(roster, personas):
    _hand_made(roster, personas)
    observer = user_make("pemantau", Role.OBSERVER, "64.02", "kesbangpol-kukar")
    target = roster.ptps["64.02.06.2001.003"]
    phone = target.person.phones.get().e164
    caller_page = client_for(personas.coordinator).get(f"/jangkauan/telepon/{TENGGARONG}/").content.decode()
    assert phone in caller_page and f'data-person="{target.pk}"' in caller_page
    reader_page = client_for(observer).get(f"/jangkauan/telepon/{TENGGARONG}/").content.decode()
    assert f'data-person="{target.pk}"' in reader_page and phone not in reader_page
    form = {"person": target.pk, "outcome": "wrong_number", "note": "nomor milik orang lain", "client_id": "c-1"}
    assert client_for(observer).post(f"/jangkauan/telepon/{TENGGARONG}/catat/", form).status_code == 403
    assert client_for(personas.coordinator).post(f"/jangkauan/telepon/{TENGGARONG}/catat/", form).status_code == 302
    assert client_for(personas.coordinator).post(f"/jangkauan/telepon/{TENGGARONG}/catat/", form).status_code == 302
    entry = ContactLog.objects.get()  # the retry was stored once
    assert (entry.person, entry.outcome, entry.area_code) == (target, "wrong_number", "64.02.06.2001")
    page = client_for(personas.coordinator).get(f"/jangkauan/telepon/{TENGGARONG}/").content.decode()
    assert "nomor salah" in page and "nomor milik orang lain" in page
    # A KPU operator records calls to KPU's people only; nobody outside the area at all.
    kpu = user_make("kpu-op", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    from sinergi.core.errors import NotFound, ValidationFailed

    with pytest.raises(ValidationFailed):
        services.contact_record(actor=kpu, area_code=TENGGARONG, person_id=target.pk, outcome="called")
    services.contact_record(
        actor=kpu, area_code=TENGGARONG, person_id=roster.kpps["64.02.06.1001.001"].pk, outcome="called"
    )
    with pytest.raises(ValidationFailed):  # a Muara Badak person is not on Tenggarong's list
        services.contact_record(
            actor=personas.coordinator,
            area_code=TENGGARONG,
            person_id=roster.kpps["64.02.05.2001.001"].pk,
            outcome="called",
        )
    with pytest.raises(NotFound):
        services.contact_record(actor=personas.outsider, area_code=TENGGARONG, person_id=target.pk, outcome="called")


@pytest.mark.django_db
def test_gladi_keyword_and_web_button(roster, personas):
    chair = roster.kpps["64.02.06.1001.001"]
    got = receive(channel="telegram", provider="telegram", address="555", text="GLADI", provider_message_id="t1")
    assert got.message.user is None  # no linked Telegram chat: not counted
    got = receive(
        channel="sms",
        provider="android",
        address=chair.person.phones.get().e164,
        text="gladi",
        provider_message_id="s9",
    )
    assert "diterima lewat SMS" in got.message.reply
    assert InboundMessage.objects.get(provider_message_id="s9").user == chair
    assert not RehearsalReport.objects.exists()  # the inbound message is the record
    from sinergi.core.sms import sms_receive

    reply = sms_receive(sender="0812-0000-0010", text="GLADI", message_id="old-1")  # the older webhook
    assert reply.ok
    assert RehearsalReport.objects.get().channel == "sms"  # no channel there: recorded here, as SMS
    response = client_for(chair).post("/jangkauan/gladi/uji/", {"client_id": "web-9"})
    assert response.status_code == 302
    client_for(chair).post("/jangkauan/gladi/uji/", {"client_id": "web-9"})
    assert RehearsalReport.objects.filter(user=chair, channel="web").count() == 1
    assert selectors.readiness_totals(Area.objects.get(code="64.02.06.1001")).tested == 2


@pytest.mark.django_db
def test_board_pages_cost_the_same_queries_for_a_desa_and_the_regency(roster, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _hand_made(roster, personas)
    client = client_for(personas.coordinator)
    small, _ = services.broadcast_create(
        actor=personas.coordinator, area_code="64.02.06.1001", roles=[], agency_kinds=["kpps"], text="kecil"
    )
    big, _ = services.broadcast_create(
        actor=personas.coordinator, area_code="64.02", roles=[], agency_kinds=[], text="besar"
    )
    counts: dict[str, list[int]] = {"gladi": [], "siaran": [], "telepon": []}
    for code, broadcast in (("64.02.06.1001", small), ("64.02", big)):
        for kind, url in (
            ("gladi", f"/jangkauan/gladi/{code}/"),
            ("siaran", f"/jangkauan/siaran/{broadcast.pk}/"),
            ("telepon", f"/jangkauan/telepon/{code}/"),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts[kind].append(len(captured))
    assert all(small_count == big_count for small_count, big_count in counts.values()), counts
