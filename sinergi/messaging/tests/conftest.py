"""A real local fake of every provider (sinergi/messaging/fakegateway.py) on a free port, and
settings that point each channel at it."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.messaging.fakegateway import Callback, FakeGateway


@pytest.fixture
def gateway(settings) -> Iterator[FakeGateway]:
    fake = FakeGateway(callback_delay=0).start()
    creds = fake.credentials
    settings.SINERGI_PUBLIC_URL = "http://testserver"
    settings.SINERGI_SMS_PROVIDER = "android"
    settings.SINERGI_ANDROID_SMS_URL = f"{fake.url}/android"
    settings.SINERGI_ANDROID_SMS_USER = creds.android_user
    settings.SINERGI_ANDROID_SMS_PASSWORD = creds.android_password
    settings.SINERGI_ANDROID_SMS_WEBHOOK_SECRET = creds.android_webhook_secret
    settings.SINERGI_TWILIO_URL = f"{fake.url}/twilio"
    settings.SINERGI_TWILIO_ACCOUNT_SID = creds.twilio_sid
    settings.SINERGI_TWILIO_AUTH_TOKEN = creds.twilio_token
    settings.SINERGI_TWILIO_FROM = "+15005550006"
    settings.SINERGI_WHATSAPP_URL = f"{fake.url}/whatsapp"
    settings.SINERGI_WHATSAPP_TOKEN = creds.whatsapp_token
    settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID = creds.whatsapp_phone_number_id
    settings.SINERGI_WHATSAPP_APP_SECRET = creds.whatsapp_app_secret
    settings.SINERGI_WHATSAPP_VERIFY_TOKEN = "demo-verify"
    settings.SINERGI_TELEGRAM_URL = f"{fake.url}/telegram"
    settings.SINERGI_TELEGRAM_BOT_TOKEN = creds.telegram_token
    settings.SINERGI_TELEGRAM_BOT_USERNAME = "sinergi_demo_bot"
    settings.SINERGI_TELEGRAM_WEBHOOK_SECRET = creds.telegram_secret
    settings.SINERGI_MESSAGING_HTTP_TIMEOUT = 10.0  # a loaded CI machine; the timeout tests set their own
    settings.SINERGI_MESSAGING_SEND_THREADS = 1  # requests in claim order; test_parallel_sends uses several
    settings.SINERGI_MESSAGING_CHANNEL_ORDER = ["sms", "whatsapp", "telegram", "email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield fake
    fake.stop()


def post_callback(client: Client, callback: Callback):
    return client.generic(
        "POST", f"/api/v1/{callback.path}", callback.body, content_type=callback.content_type, headers=callback.headers
    )


def post_all(client: Client, gateway: FakeGateway) -> list[int]:
    return [post_callback(client, c).status_code for c in gateway.take_callbacks()]


class FakeClock:
    """A controlled clock: `sleep` moves time on, nothing waits."""

    def __init__(self, start: datetime | None = None):
        self.moment = start or timezone.now()
        self.slept = 0.0

    def now(self) -> datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.moment += timedelta(seconds=seconds)

    def advance(self, **kwargs: float) -> None:
        self.moment += timedelta(**kwargs)
