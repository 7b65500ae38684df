"""Each adapter against the local fake of its provider: the request as the provider documents it,
its answers (accepted, refused, 429/5xx, slow, timeouts) and its callbacks (signed, duplicated,
late, forged)."""

import base64
import json
import urllib.parse
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sinergi.messaging import delivery, services
from sinergi.messaging.models import MessageEvent, OutboundMessage, Status
from sinergi.messaging.tests.conftest import post_all, post_callback

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
FAILING_PHONE = "+6281200000000"


def queue(**kwargs) -> OutboundMessage:
    return services.send(text=kwargs.pop("text", "Sinergi: uji"), purpose="test", **kwargs)


def deliver(at=None):
    return delivery.deliver_due(at or timezone.now())


def fresh(message: OutboundMessage) -> OutboundMessage:
    return OutboundMessage.objects.get(pk=message.pk)


# --- Android SMS gateway ------------------------------------------------------------------------


def test_android_request_is_the_documented_message_call_and_receipts_move_it_forward(gateway, client):
    message = queue(address=PHONE, channel="sms")
    assert deliver().sent == 1
    request = gateway.requests[-1]
    assert request["path"] == "/android/message"
    user, _, password = base64.b64decode(request["headers"]["Authorization"][6:]).decode().partition(":")
    assert (user, password) == ("sinergi", "demo-android-password")
    body = json.loads(request["body"])
    assert body == {
        "id": f"sinergi-{message.pk}",
        "textMessage": {"text": "Sinergi: uji"},
        "phoneNumbers": [PHONE],
        "withDeliveryReport": True,
    }
    assert fresh(message).status == Status.SENT
    assert fresh(message).provider_message_id == f"sinergi-{message.pk}"

    callbacks = gateway.take_callbacks()
    assert [json.loads(c.body)["event"] for c in callbacks] == ["sms:sent", "sms:delivered"]
    assert [post_callback(client, c).status_code for c in callbacks] == [200, 200]
    assert fresh(message).status == Status.DELIVERED
    assert fresh(message).delivered_at is not None

    # the gateway retries its webhooks: a duplicate delivered and a late "sent" change nothing
    assert post_callback(client, callbacks[1]).status_code == 200
    assert post_callback(client, callbacks[0]).status_code == 200
    assert fresh(message).status == Status.DELIVERED
    assert list(
        MessageEvent.objects.filter(message=message, source="callback").order_by("pk").values_list("status", "applied")
    ) == [
        ("sent", False),  # the worker had recorded "sent" already
        ("delivered", True),
        ("delivered", False),
        ("sent", False),
    ]


def test_android_failure_callback_keeps_the_gateway_reason(gateway, client):
    message = queue(address=FAILING_PHONE, channel="sms")
    deliver()
    post_all(client, gateway)
    message = fresh(message)
    assert message.status == Status.FAILED
    assert message.reason == "RESULT_ERROR_GENERIC_FAILURE"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Signature": "0" * 64},  # forged
        {"X-Signature": None},  # missing
        {"X-Timestamp": "1000000000"},  # a replay from 2001 (signed, but outside ±5 minutes)
    ],
)
def test_android_webhook_refuses_bad_signatures(gateway, client, headers):
    message = queue(address=PHONE, channel="sms")
    deliver()
    delivered = gateway.take_callbacks()[1]
    forged = dict(delivered.headers)
    for key, value in headers.items():
        if value is None:
            forged.pop(key)
        else:
            forged[key] = value
    if "X-Timestamp" in headers:
        from sinergi.messaging.signatures import android_sign

        forged["X-Signature"] = android_sign("demo-android-webhook-secret", delivered.body, headers["X-Timestamp"])
    response = client.generic(
        "POST", "/api/v1/messaging/android/webhook", delivered.body, content_type="application/json", headers=forged
    )
    assert response.status_code == 403
    assert response.json()["code"] == "bad_signature"
    assert fresh(message).status == Status.SENT


def test_android_server_errors_are_retried_with_exponential_backoff_then_fail(gateway, settings):
    settings.SINERGI_MESSAGING_MAX_ATTEMPTS = 3
    gateway.force("android", 500, times=3)
    message = queue(address=PHONE, channel="sms")
    now = timezone.now()
    assert deliver(now).retried == 1
    first = fresh(message)
    assert (first.status, first.attempts) == (Status.QUEUED, 1)
    assert first.next_attempt_at == now + delivery.backoff(1)
    assert first.reason == "HTTP 500: forced error 500"
    assert deliver(now + delivery.backoff(1) - timedelta(seconds=1)).sent == 0  # not due yet

    later = now + delivery.backoff(1)
    assert deliver(later).retried == 1
    second = fresh(message)
    assert second.next_attempt_at == later + delivery.backoff(2)
    assert delivery.backoff(2) == 2 * delivery.backoff(1)

    assert deliver(second.next_attempt_at).failed == 1
    failed = fresh(message)
    assert failed.status == Status.FAILED
    assert failed.reason == "HTTP 500: forced error 500 (after 3 attempts)"
    assert len(gateway.requests) == 3


def test_android_wrong_password_fails_at_once_without_retry(gateway, settings):
    settings.SINERGI_ANDROID_SMS_PASSWORD = "wrong"
    message = queue(address=PHONE, channel="sms")
    assert deliver().failed == 1
    assert fresh(message).reason == "HTTP 401: Unauthorized"
    assert fresh(message).attempts == 1


def test_android_timeout_is_a_retry_and_a_slow_answer_within_it_is_fine(gateway, settings):
    settings.SINERGI_MESSAGING_HTTP_TIMEOUT = 0.3
    gateway.delay = 1.0
    message = queue(address=PHONE, channel="sms")
    assert deliver().retried == 1
    assert fresh(message).reason.startswith("timeout after 0.3 s")

    # the gateway got the first attempt; the retry reuses our message id and its 409 means "already sent"
    settings.SINERGI_MESSAGING_HTTP_TIMEOUT = 10
    gateway.delay = 0.5
    assert deliver(fresh(message).next_attempt_at).sent == 1
    assert fresh(message).status == Status.SENT
    assert [json.loads(r["body"])["id"] for r in gateway.requests] == [f"sinergi-{message.pk}"] * 2


def test_android_inbound_sms_is_stored_once_per_event(gateway, client):
    callback = gateway.android_inbound("081234567890", "HALO")
    assert post_callback(client, callback).json()["detail"] == "stored"
    assert post_callback(client, callback).json()["detail"] == "duplicate"
    from sinergi.messaging.models import InboundMessage

    stored = InboundMessage.objects.get()
    assert (stored.channel, stored.address, stored.text) == ("sms", PHONE, "HALO")


# --- Twilio ---------------------------------------------------------------------------------


@pytest.fixture
def twilio(gateway, settings):
    settings.SINERGI_SMS_PROVIDER = "twilio"
    return gateway


def test_twilio_request_status_callback_and_signature(twilio, client):
    message = queue(address=PHONE, channel="sms")
    assert message.provider == "twilio"
    assert deliver().sent == 1
    request = twilio.requests[-1]
    assert request["path"] == "/twilio/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(urllib.parse.parse_qsl(request["body"].decode()))
    assert form == {
        "To": PHONE,
        "From": "+15005550006",
        "Body": "Sinergi: uji",
        "StatusCallback": "http://testserver/api/v1/messaging/twilio/status",
    }
    assert str(fresh(message).provider_message_id).startswith("SM")
    callbacks = twilio.take_callbacks()
    assert post_callback(client, callbacks[1]).status_code == 200
    assert post_callback(client, callbacks[0]).status_code == 200  # late "sent"
    assert fresh(message).status == Status.DELIVERED

    tampered = callbacks[1]
    tampered.body = tampered.body.replace(b"delivered", b"undelivered")
    response = post_callback(client, tampered)
    assert response.status_code == 403
    assert fresh(message).status == Status.DELIVERED


def test_twilio_undelivered_callback_and_refused_number(twilio, client):
    undelivered = queue(address=FAILING_PHONE, channel="sms")
    invalid = queue(address="+62", channel="sms")
    deliver()
    post_all(client, twilio)
    assert fresh(undelivered).status == Status.FAILED
    assert fresh(undelivered).reason == "Twilio error 30003"
    assert fresh(invalid).status == Status.FAILED
    assert fresh(invalid).reason == "HTTP 400: 21211 The 'To' number +62 is not a valid phone number."


def test_twilio_429_waits_and_retries(twilio):
    twilio.force("twilio", 429)
    message = queue(address=PHONE, channel="sms")
    now = timezone.now()
    assert deliver(now).retried == 1
    assert fresh(message).reason == "HTTP 429: 20429 Too Many Requests"
    assert deliver(fresh(message).next_attempt_at).sent == 1


# --- WhatsApp Cloud API ---------------------------------------------------------------------


def test_whatsapp_request_statuses_and_failure_reason(gateway, client):
    ok = queue(address=PHONE, channel="whatsapp")
    bad = queue(address=FAILING_PHONE, channel="whatsapp")
    assert deliver().sent == 2
    request = gateway.requests[0]
    assert request["path"] == "/whatsapp/100000000000001/messages"
    assert request["headers"]["Authorization"] == "Bearer demo-whatsapp-token"
    assert json.loads(request["body"]) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": "Sinergi: uji"},
    }
    assert str(fresh(ok).provider_message_id).startswith("wamid.")
    callbacks = gateway.take_callbacks()
    for callback in callbacks + callbacks:  # every webhook twice
        assert post_callback(client, callback).status_code == 200
    assert fresh(ok).status == Status.DELIVERED
    assert fresh(bad).status == Status.FAILED
    assert fresh(bad).reason == "131026 Message undeliverable Receiver is incapable of receiving this message"


def test_whatsapp_webhook_verification_and_signature(gateway, client):
    url = "/api/v1/messaging/whatsapp/webhook"
    ok = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "demo-verify", "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"})
    assert wrong.status_code == 403
    callback = gateway.whatsapp_inbound("6281234567890", "HALO")
    forged = client.generic(
        "POST",
        url,
        callback.body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
    )
    assert forged.status_code == 403
    from sinergi.messaging.models import InboundMessage

    assert not InboundMessage.objects.exists()


def test_whatsapp_bad_token_is_permanent_and_rate_limit_is_transient(gateway, settings):
    gateway.force("whatsapp", 429)
    limited = queue(address=PHONE, channel="whatsapp")
    deliver()
    assert fresh(limited).status == Status.QUEUED
    assert fresh(limited).reason.startswith("HTTP 429: 130429")
    settings.SINERGI_WHATSAPP_TOKEN = "expired"
    refused = queue(address=PHONE, channel="whatsapp")
    deliver()
    assert fresh(refused).status == Status.FAILED
    assert fresh(refused).reason.startswith("HTTP 401: 190 Invalid OAuth access token")


# --- Telegram -------------------------------------------------------------------------------


def test_telegram_send_is_delivered_and_a_blocked_bot_is_failed(gateway, settings):
    ok = queue(address="555123", channel="telegram")
    blocked = queue(address="5550000", channel="telegram")
    deliver()
    request = gateway.requests[0]
    assert request["path"] == "/telegram/bot123456:demo-telegram-token/sendMessage"
    assert json.loads(request["body"]) == {"chat_id": "555123", "text": "Sinergi: uji"}
    assert fresh(ok).status == Status.DELIVERED
    assert str(fresh(ok).provider_message_id).startswith("555123:")
    assert fresh(blocked).status == Status.FAILED
    assert fresh(blocked).reason == "HTTP 403: Forbidden: bot was blocked by the user"


def test_telegram_retry_after_is_honoured(gateway, settings):
    settings.SINERGI_MESSAGING_BACKOFF_SECONDS = 1
    gateway.force("telegram", 429)
    message = queue(address="555123", channel="telegram")
    now = timezone.now()
    deliver(now)
    assert fresh(message).next_attempt_at == now + timedelta(seconds=3)


def test_telegram_webhook_needs_the_secret_token(gateway, client):
    callback = gateway.telegram_update("555123", "HALO")
    assert post_callback(client, callback).status_code == 200
    callback.headers = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert post_callback(client, callback).status_code == 403


# --- E-mail ---------------------------------------------------------------------------------


def test_email_goes_through_django_mail(gateway):
    message = queue(address="pps@example.org", text="Sinergi: rapat besok\nPukul 09.00")
    assert message.channel == "email"
    deliver()
    assert fresh(message).status == Status.SENT
    assert mail.outbox[-1].to == ["pps@example.org"]
    assert mail.outbox[-1].subject == "Sinergi: rapat besok"


def test_the_demo_gateway_fails_a_stable_share_of_numbers(gateway, client):
    gateway.fail_percent = 30
    numbers = [f"+62810{n:08d}" for n in range(1, 21)]  # within one rate window
    messages = [queue(address=number, channel="sms") for number in numbers]
    deliver()
    post_all(client, gateway)
    failed = {m.address for m in OutboundMessage.objects.filter(pk__in=[m.pk for m in messages], status=Status.FAILED)}
    assert 0 < len(failed) < len(numbers)
    from sinergi.messaging.fakegateway import _fails

    assert failed == {n for n in numbers if _fails(gateway, n)}  # the same numbers on every run
