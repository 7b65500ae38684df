"""Inbound WhatsApp, Telegram and Android SMS reach the same keyword dispatcher as SMS (LAPOR ->
the incident queue), the reply goes back on the same channel, retries are stored once, and answers
to our messages are threaded to them."""

import json

import pytest

from sinergi.incidents.models import Report
from sinergi.incidents.permissions import REPORTS
from sinergi.messaging import delivery, inbound, services
from sinergi.messaging.models import InboundMessage, OutboundMessage, Status, TelegramLink, TelegramLinkToken
from sinergi.messaging.tests.conftest import post_callback
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

LAPOR = "LAPOR 6402062001001 UANG ada pembagian amplop dekat TPS"


def test_whatsapp_lapor_reaches_the_incident_queue_and_is_answered_on_whatsapp(gateway, client, personas):
    callback = gateway.whatsapp_inbound("6281211112222", LAPOR)
    assert post_callback(client, callback).status_code == 200
    assert post_callback(client, callback).status_code == 200  # Meta retries: stored once, one report
    report = Report.objects.get()
    assert report.polling_station_id == "64.02.06.2001.001"
    assert report.category.code == "politik-uang"
    assert REPORTS.visible(personas.field_officer).filter(pk=report.pk).exists()  # in Panwascam Tenggarong's queue
    stored = InboundMessage.objects.get()
    assert (stored.channel, stored.address, stored.keyword) == ("whatsapp", "+6281211112222", "LAPOR")
    reply = stored.reply_message
    assert reply is not None
    assert (reply.channel, reply.address, reply.purpose) == ("whatsapp", "+6281211112222", "reply")
    assert report.tracking_code in reply.text
    delivery.deliver_due()
    sent = json.loads(gateway.requests[-1]["body"])
    assert sent["to"] == "6281211112222" and report.tracking_code in sent["text"]["body"]


def test_telegram_start_links_the_chat_then_lapor_is_the_users_report(gateway, client, personas):
    officer = personas.field_officer
    officer.phone = "081233334444"
    officer.save()
    link = inbound.telegram_deep_link(officer)
    assert link.startswith("https://t.me/sinergi_demo_bot?start=")
    token = link.rsplit("=", 1)[1]
    assert not TelegramLinkToken.objects.filter(digest=token).exists()  # only the digest is stored

    assert post_callback(client, gateway.telegram_update("424242", f"/start {token}")).status_code == 200
    assert TelegramLink.objects.get(user=officer).chat_id == "424242"
    welcome = OutboundMessage.objects.get(channel="telegram")
    assert "Telegram tertaut" in welcome.text and welcome.address == "424242"
    # the token is single use
    post_callback(client, gateway.telegram_update("999999", f"/start {token}"))
    assert "tidak berlaku" in OutboundMessage.objects.filter(address="999999").get().text

    assert post_callback(client, gateway.telegram_update("424242", LAPOR)).status_code == 200
    report = Report.objects.get()
    assert report.reporter_id == officer.pk  # the linked account's phone finds the user, as by SMS
    reply = InboundMessage.objects.get(text=LAPOR).reply_message
    assert reply is not None
    assert (reply.channel, reply.address) == ("telegram", "424242")
    assert services.send(text="halo", purpose="test", user=officer, channel="telegram").address == "424242"


def test_android_gateway_sms_goes_to_the_same_dispatcher(gateway, client, personas):
    assert post_callback(client, gateway.android_inbound("+6281211112222", LAPOR)).status_code == 200
    assert Report.objects.count() == 1
    assert InboundMessage.objects.filter(reply_message__channel="sms").count() == 1


def test_a_reply_is_threaded_to_the_message_it_answers(gateway, client, world):
    user = user_make("kpps9", "operator_kpu", "64.02.06", "kpu-kukar")
    user.phone = "081255556666"
    user.save()
    ask = services.send(
        text="Sinergi GLADI: uji kanal. Balas pesan ini dengan OK G7 untuk konfirmasi.",
        purpose="test_broadcast",
        user=user,
    )
    delivery.deliver_due()
    for callback in gateway.take_callbacks():
        post_callback(client, callback)
    answer = InboundMessage.objects.get()
    assert answer.text == "OK G7"
    assert answer.in_reply_to_id == ask.pk
    assert answer.user_id == user.pk
    assert "terima kasih" in answer.reply.lower()
    assert OutboundMessage.objects.get(pk=ask.pk).status == Status.DELIVERED

    # WhatsApp names the quoted message: threaded to it even when a later message went out
    first = services.send(text="Balas OK A1", purpose="test_broadcast", address="+6281255556666", channel="whatsapp")
    delivery.deliver_due()
    services.send(text="pesan lain", purpose="info", address="+6281255556666", channel="whatsapp")
    quoted = OutboundMessage.objects.get(pk=first.pk).provider_message_id
    post_callback(client, gateway.whatsapp_inbound("6281255556666", "OK A1", context_id=quoted))
    assert InboundMessage.objects.get(channel="whatsapp").in_reply_to_id == first.pk


def test_an_unknown_text_without_a_thread_gets_the_format_help(gateway, client, world):
    post_callback(client, gateway.telegram_update("31337", "halo"))
    assert "Format tidak dikenal" in InboundMessage.objects.get().reply


def test_an_sms_reply_quoting_an_older_broadcasts_code_is_threaded_to_that_broadcast(gateway, client, world):
    """SMS carries no reference to the message it answers: a reply that quotes a batch code goes to that
    batch, not to a newer message sent to the same number in between; without a code, to the latest."""
    older = services.send(
        text="GLADI: balas OK K7PD",
        purpose="test_broadcast",
        address="+6281277778888",
        channel="sms",
        batch="gladi:K7PD",
    )
    newer = services.send(
        text="GLADI: balas OK M2QX",
        purpose="test_broadcast",
        address="+6281277778888",
        channel="sms",
        batch="gladi:M2QX",
    )
    post_callback(client, gateway.android_inbound("+6281277778888", "ok k7pd."))
    post_callback(client, gateway.android_inbound("+6281277778888", "sudah"))
    threads = dict(InboundMessage.objects.values_list("text", "in_reply_to_id"))
    assert threads == {"ok k7pd.": older.pk, "sudah": newer.pk}
