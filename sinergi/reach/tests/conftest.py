import pytest

from sinergi.reach.tests.factories import Roster, roster_make


@pytest.fixture
def channels_on(settings):
    """SMS (Android gateway) and WhatsApp switched on. Nothing is delivered in tests (the queue only
    fills: SINERGI_MESSAGING_DELIVER_ON_COMMIT is off), so no provider is called."""
    settings.SINERGI_SMS_PROVIDER = "android"
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    settings.SINERGI_WHATSAPP_TOKEN = "test-token"
    settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID = "12345"
    settings.SINERGI_TELEGRAM_BOT_TOKEN = ""
    settings.SINERGI_MESSAGING_CHANNEL_ORDER = ["sms", "whatsapp", "telegram", "email"]
    settings.SINERGI_BROADCAST_APPROVAL_ABOVE = 300
    return settings


@pytest.fixture
def roster(world, personas, channels_on) -> Roster:
    return roster_make()
