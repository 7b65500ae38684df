"""The queue: per-provider rates on a controlled clock, fallback after a failure or a delay, opt-out."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.messaging import delivery, inbound, services
from sinergi.messaging.models import OptOut, OutboundMessage, Status, TelegramLink
from sinergi.messaging.tests.conftest import FakeClock, post_all
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


def attempts_in_windows(provider: str, seconds: int) -> int:
    """The most attempts that started within any `seconds` window (by last_attempt_at)."""
    stamps = OutboundMessage.objects.filter(provider=provider).values_list("last_attempt_at", flat=True)
    times = sorted(t for t in stamps if t is not None)
    worst = 0
    for i, start in enumerate(times):
        worst = max(worst, len([t for t in times[i:] if t < start + timedelta(seconds=seconds)]))
    return worst


def test_android_rate_is_held_per_minute_on_a_controlled_clock(gateway, settings):
    settings.SINERGI_MESSAGING_RATES = {**settings.SINERGI_MESSAGING_RATES, "android": (25, 60)}
    for n in range(60):
        services.send(text=f"pesan {n}", purpose="test", address=f"+62812000{n:05d}1", channel="sms", batch="b1")
    clock = FakeClock()
    outcome = delivery.drain(run_for=3600, clock=clock)
    assert outcome.sent == 60
    assert OutboundMessage.objects.filter(status=Status.SENT).count() == 60
    assert attempts_in_windows("android", 60) == 25
    # 25 now, 25 a minute later, 10 two minutes later: 120 s of (virtual) waiting
    assert clock.slept == pytest.approx(120, abs=1)
    assert len(gateway.requests) == 60


def test_a_fast_provider_and_a_slow_one_are_paced_separately(gateway, settings):
    settings.SINERGI_MESSAGING_RATES = {**settings.SINERGI_MESSAGING_RATES, "android": (2, 60), "telegram": (5, 1)}
    for n in range(4):
        services.send(text="sms", purpose="test", address=f"+6281200000{n}11", channel="sms")
    for n in range(12):
        services.send(text="tg", purpose="test", address=f"5551{n:02d}", channel="telegram")
    clock = FakeClock()
    start = clock.now()
    first = delivery.deliver_due(start)
    assert first.by_provider == {"android": 2, "telegram": 5}
    delivery.drain(run_for=3600, clock=clock)
    assert attempts_in_windows("telegram", 1) == 5
    assert attempts_in_windows("android", 60) == 2
    assert OutboundMessage.objects.exclude(status__in=[Status.SENT, Status.DELIVERED]).count() == 0


def test_rate_counts_attempts_of_every_worker(gateway, settings):
    """A second worker in the same window finds the budget used up (the window lives in the database)."""
    settings.SINERGI_MESSAGING_RATES = {**settings.SINERGI_MESSAGING_RATES, "android": (3, 60)}
    for n in range(5):
        services.send(text="x", purpose="test", address=f"+6281200000{n}22", channel="sms")
    now = timezone.now()
    assert delivery.deliver_due(now).sent == 3
    assert delivery.deliver_due(now + timedelta(seconds=30)).sent == 0
    assert delivery.next_capacity("android", now + timedelta(seconds=30)) == now + timedelta(seconds=60)
    assert delivery.deliver_due(now + timedelta(seconds=61)).sent == 2


@pytest.fixture
def officer(world):
    user = user_make("kpps1", "operator_kpu", "64.02.06", "kpu-kukar")
    user.phone = "0812 0000 0000"  # the fake gateway fails numbers ending in 0000
    user.email = "kpps1@example.org"
    user.save()
    TelegramLink.objects.create(user=user, chat_id="777001")
    return user


def test_fallback_after_a_failed_delivery(gateway, client, officer):
    message = services.send(
        text="TPS 001 belum melapor", purpose="alert", user=officer, fallback_after=timedelta(minutes=10)
    )
    assert (message.channel, message.address) == ("sms", "+6281200000000")
    delivery.deliver_due()
    post_all(client, gateway)  # sms:sent, sms:failed
    message.refresh_from_db()
    assert message.status == Status.FAILED
    fallback = OutboundMessage.objects.get(fallback_of=message)
    assert (fallback.channel, fallback.address, fallback.text) == ("whatsapp", "+6281200000000", message.text)
    delivery.deliver_due()
    post_all(client, gateway)  # WhatsApp fails this number too
    third = OutboundMessage.objects.get(fallback_of=fallback)
    assert (third.channel, third.address) == ("telegram", "777001")
    delivery.deliver_due()
    third.refresh_from_db()
    assert third.status == Status.DELIVERED
    # every channel of the chain was tried once; e-mail is next only if Telegram also failed
    assert not OutboundMessage.objects.filter(fallback_of=third).exists()


def test_fallback_after_a_delay_without_delivery_but_not_after_delivery(gateway, client, officer, settings):
    settings.SINERGI_MESSAGING_CHANNEL_ORDER = ["sms", "email"]
    officer.phone = "081299887766"
    officer.save()
    waiting = services.send(text="uji", purpose="alert", user=officer, fallback_after=timedelta(minutes=10))
    now = timezone.now()
    delivery.deliver_due(now)
    gateway.take_callbacks()  # the receipts never arrive
    assert delivery.fall_back_due(now + timedelta(minutes=9)) == 0
    assert delivery.fall_back_due(now + timedelta(minutes=11)) == 1
    copy = OutboundMessage.objects.get(fallback_of=waiting)
    assert (copy.channel, copy.address) == ("email", "kpps1@example.org")
    assert delivery.fall_back_due(now + timedelta(minutes=30)) == 0  # once

    delivered = services.send(text="uji 2", purpose="alert", user=officer, fallback_after=timedelta(minutes=10))
    delivery.deliver_due()
    post_all(client, gateway)
    delivered.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    assert delivery.fall_back_due(now + timedelta(minutes=11)) == 0
    assert not OutboundMessage.objects.filter(fallback_of=delivered).exists()


def test_berhenti_opts_out_and_mulai_opts_back_in(gateway, client, officer):
    from sinergi.people.models import Person

    Person.objects.create(user=officer)
    address = "+6281200000000"
    post = gateway.android_inbound("081200000000", "BERHENTI")
    from sinergi.messaging.tests.conftest import post_callback

    assert post_callback(client, post).status_code == 200
    assert OptOut.objects.filter(channel="sms", address=address).exists()
    confirmation = OutboundMessage.objects.get(purpose="reply")
    assert "tidak akan menerima pesan lagi" in confirmation.text
    with pytest.raises(services.OptedOut):
        services.send(text="x", purpose="test", address=address, channel="sms")
    # a person on the roster who says BERHENTI gets nothing more, on any channel
    with pytest.raises(services.OptedOut):
        services.send(text="x", purpose="test", user=officer, channel="telegram")
    assert Person.objects.get(user=officer).opted_out_at is not None

    assert post_callback(client, gateway.android_inbound("081200000000", "mulai")).status_code == 200
    assert not OptOut.objects.exists()
    assert Person.objects.get(user=officer).opted_out_at is None
    assert services.send(text="x", purpose="test", address=address, channel="sms").status == Status.QUEUED
    assert services.send(text="x", purpose="test", user=officer, channel="telegram").status == Status.QUEUED


def test_a_person_marked_opted_out_is_refused(gateway, officer):
    from sinergi.people.models import Person

    Person.objects.create(user=officer, opted_out_at=timezone.now())
    with pytest.raises(services.OptedOut):
        services.send(text="x", purpose="test", user=officer)
    inbound.opt_in("sms", "+6281200000000", officer)
    assert services.send(text="x", purpose="test", user=officer).channel == "sms"


def test_send_refuses_an_unreachable_user_by_name(gateway, world):
    user = user_make("tanpakontak", "operator_kpu", "64.02.06", "kpu-kukar")
    with pytest.raises(services.ValidationFailed, match="tanpakontak tidak dapat dihubungi"):
        services.send(text="x", purpose="test", user=user)


def test_send_enqueues_one_delivery_task_per_transaction(gateway, settings, django_capture_on_commit_callbacks):
    settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(5):
            services.send(text="x", purpose="test", address=f"+62812000{n:05d}3", channel="sms")
    assert len(callbacks) == 1


def test_send_many_makes_the_same_choices_as_send_in_constant_queries(gateway, world, django_assert_num_queries):
    from sinergi.people.models import Person, Phone

    def make(n: int):
        user = user_make(f"kpps-b{n}", "operator_kpu", "64.02.06", "kpu-kukar")
        user.phone = f"0813{n:08d}"
        user.save()
        return user

    users = [make(n) for n in range(1, 21)]
    Person.objects.create(user=users[0], opted_out_at=timezone.now())  # BERHENTI
    users[1].phone = ""
    users[1].save()  # unreachable
    person = Person.objects.create(user=users[2], preferred_channel="telegram")
    TelegramLink.objects.create(user=users[2], chat_id="880002")
    Phone.objects.create(person=person, e164="+6281399990002", verified_at=timezone.now())
    OptOut.objects.create(channel="sms", address="+6281300000004")  # this address said BERHENTI
    # persons, phones, Telegram chats, memberships, opt-outs, one insert: whatever the number of users
    with django_assert_num_queries(6):
        result = services.send_many(users=users, text=lambda u: f"halo {u.username}", purpose="broadcast", batch="b")
    assert [(u.username, why) for u, why in result.refused] == [
        ("kpps-b1", "BERHENTI"),
        ("kpps-b2", "tidak dapat dihubungi"),
    ]
    chosen = {str(m.user): (m.channel, m.address) for m in result.messages}
    assert chosen["kpps-b3"] == ("telegram", "880002")
    assert chosen["kpps-b4"] == ("whatsapp", "+6281300000004")  # SMS refused at this address, WhatsApp not
    assert chosen["kpps-b5"] == ("sms", "+6281300000005")
    assert len(result.messages) == 18
    assert OutboundMessage.objects.get(user=users[3]).text == "halo kpps-b4"
    assert OutboundMessage.objects.get(user=users[3]).area_code == "64.02.06"
    # one by one gives the same answers
    assert services.send(text="x", purpose="t", user=users[2]).channel == "telegram"
    with pytest.raises(services.OptedOut):
        services.send(text="x", purpose="t", user=users[0])


def test_a_login_code_does_not_wait_behind_a_broadcast(gateway, settings):
    settings.SINERGI_MESSAGING_RATES = {**settings.SINERGI_MESSAGING_RATES, "android": (5, 60)}
    for n in range(20):
        services.send(text="siaran", purpose="broadcast", address=f"+62812000{n:05d}7", channel="sms", batch="big")
    code = services.send(text="Kode masuk Sinergi: 123456", purpose="otp", address="+6281299990001", channel="sms")
    reply = services.send(text="Laporan diterima", purpose="reply", address="+6281299990002", channel="sms")
    assert delivery.deliver_due().sent == 5
    first = [json.loads(r["body"])["phoneNumbers"][0] for r in gateway.requests]
    assert first[:2] == [code.address, reply.address]
    assert OutboundMessage.objects.filter(batch="big", status=Status.SENT).count() == 3


def test_a_login_code_is_not_kept_once_delivered(gateway, client):
    code = services.send(text="Kode masuk Sinergi: 482913", purpose="otp", address="+6281299990003", channel="sms")
    other = services.send(text="Rapat jam 9", purpose="info", address="+6281299990004", channel="sms")
    delivery.deliver_due()
    post_all(client, gateway)
    code.refresh_from_db()
    assert code.status == Status.DELIVERED
    assert "482913" not in code.text and code.text == delivery.REDACTED
    assert OutboundMessage.objects.get(pk=other.pk).text == "Rapat jam 9"
    # an e-mailed code has no receipt: gone an hour after it left
    mailed = services.send(text="Kode: 111222", purpose="otp", address="a@example.org")
    delivery.deliver_due()
    assert OutboundMessage.objects.get(pk=mailed.pk).text == "Kode: 111222"
    assert delivery.redact_done(timezone.now() + timedelta(hours=2)) == 1
    assert OutboundMessage.objects.get(pk=mailed.pk).text == delivery.REDACTED


def test_parallel_sends_keep_the_rate_and_record_every_answer(gateway, settings):
    settings.SINERGI_MESSAGING_SEND_THREADS = 4
    settings.SINERGI_MESSAGING_RATES = {**settings.SINERGI_MESSAGING_RATES, "telegram": (10, 1)}
    for n in range(30):
        services.send(text=f"tg {n}", purpose="test", address=str(880100 + n), channel="telegram")
    services.send(text="blocked", purpose="test", address="8800000", channel="telegram")
    clock = FakeClock()
    outcome = delivery.drain(run_for=60, clock=clock)
    assert (outcome.sent, outcome.failed) == (30, 1)
    assert attempts_in_windows("telegram", 1) == 10
    assert OutboundMessage.objects.filter(status=Status.DELIVERED, provider_message_id__isnull=False).count() == 30
    assert len({r["body"] for r in gateway.requests}) == 31  # each sent once


def test_a_receipt_that_overtakes_the_send_is_applied_when_the_id_is_stored(gateway, client):
    from sinergi.messaging.adapters import Sent
    from sinergi.messaging.models import EarlyReceipt
    from sinergi.messaging.tests.conftest import post_callback

    message = services.send(text="x", purpose="test", address="+6281299990005", channel="whatsapp")
    delivery.deliver_due()
    wamid = OutboundMessage.objects.get(pk=message.pk).provider_message_id
    callbacks = gateway.take_callbacks()
    # the same story, but the worker had not stored the id yet when the callbacks came
    OutboundMessage.objects.filter(pk=message.pk).update(provider_message_id=None, status=Status.QUEUED, sent_at=None)
    for callback in callbacks:
        assert post_callback(client, callback).status_code == 200
    assert EarlyReceipt.objects.count() == 2
    fresh = OutboundMessage.objects.get(pk=message.pk)
    delivery.record((fresh, Sent(wamid), None), timezone.now())
    fresh.refresh_from_db()
    assert fresh.status == Status.DELIVERED
    assert not EarlyReceipt.objects.exists()


def test_the_scheduled_job_delivers_what_is_due(gateway):
    from sinergi.ops import schedule

    job = schedule.job_named("messaging.deliver")
    assert job is not None and job.every == timedelta(minutes=1)
    message = services.send(text="x", purpose="test", address="880777", channel="telegram")
    assert schedule.call(job, now=timezone.now()) == 1
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.DELIVERED


def test_a_shared_worker_does_not_sit_out_a_slow_window(gateway, settings):
    settings.SINERGI_MESSAGING_RATES = {**settings.SINERGI_MESSAGING_RATES, "android": (3, 60), "telegram": (2, 1)}
    for n in range(5):
        services.send(text="x", purpose="test", address=f"+6281200000{n}33", channel="sms")
    for n in range(6):
        services.send(text="x", purpose="test", address=str(881000 + n), channel="telegram")
    clock = FakeClock()
    outcome = delivery.drain(run_for=50, max_sleep=2, clock=clock)
    # Telegram's windows are a second apart: all six go; the Android phone's next window is a minute away
    assert outcome.by_provider == {"android": 3, "telegram": 6}
    assert clock.slept < 5
