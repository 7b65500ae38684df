"""`sinergi fake-gateway`: a local stand-in for the SMS, WhatsApp and Telegram providers (demo only).

It serves the providers' APIs on 127.0.0.1 (see sinergi/messaging/fakegateway.py), accepts what the
worker sends, and posts the providers' signed callbacks back to Sinergi's webhooks: sent, then
delivered (numbers ending in 0000 fail), and a reply to a test broadcast, so a broadcast's receipts
and replies can be watched without any provider.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.messaging.fakegateway import Credentials, FakeGateway


class Command(BaseCommand):
    help = "Serve a fake SMS/WhatsApp/Telegram gateway on 127.0.0.1 that posts receipts back to Sinergi."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.SINERGI_FAKE_GATEWAY_PORT)
        parser.add_argument("--callback-base", default=settings.SINERGI_PUBLIC_URL, help="where Sinergi listens")
        parser.add_argument("--delay", type=float, default=2.0, help="seconds between accepted, sent and delivered")
        parser.add_argument("--fail-percent", type=int, default=5, help="share of numbers that fail (besides *0000)")

    def handle(self, *args, port, callback_base, delay, fail_percent, **options):
        if not settings.DEBUG:
            raise CommandError(_("gateway tiruan hanya untuk demo dan pengembangan (SINERGI_DEMO=1)"))
        credentials = Credentials(
            android_user=settings.SINERGI_ANDROID_SMS_USER,
            android_password=settings.SINERGI_ANDROID_SMS_PASSWORD,
            android_webhook_secret=settings.SINERGI_ANDROID_SMS_WEBHOOK_SECRET,
            whatsapp_token=settings.SINERGI_WHATSAPP_TOKEN or "demo-whatsapp-token",
            whatsapp_phone_number_id=settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID or "100000000000001",
            whatsapp_app_secret=settings.SINERGI_WHATSAPP_APP_SECRET or "demo-whatsapp-app-secret",
            telegram_token=settings.SINERGI_TELEGRAM_BOT_TOKEN or "123456:demo-telegram-token",
            telegram_secret=settings.SINERGI_TELEGRAM_WEBHOOK_SECRET or "demo-telegram-secret",
        )
        gateway = FakeGateway(
            credentials=credentials,
            callback_base=callback_base,
            post_callbacks=True,
            callback_delay=delay,
            fail_percent=fail_percent,
        ).start(port=port)
        self.stdout.write(
            f"Fake message gateway at {gateway.url} (Android SMS /android, WhatsApp /whatsapp, Telegram /telegram)"
        )
        self.stdout.write(f"Receipts and replies go to {callback_base}/api/v1/messaging/...")
        seen = 0
        try:
            while True:
                time.sleep(1)
                if len(gateway.requests) != seen:
                    seen = len(gateway.requests)
                    self.stdout.write(f"{seen} messages accepted, {len(gateway.posted)} callbacks posted")
        except KeyboardInterrupt:
            pass
        finally:
            gateway.stop()
