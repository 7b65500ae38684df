"""A broadcast to every KPPS chair of Kukar (1,447 messages): time to queue, and the send rate the
worker holds per channel against the local fake gateway (real HTTP on 127.0.0.1).

    python benchmarks/messaging_send.py [--database-url URL] [--fast-sample 300]

1. Queue: `messaging.services.send(user=...)` for 1,447 users (channel choice, opt-out check, area,
   one row each) in one transaction, against a raw `bulk_create` of the same 1,447 rows (baseline).
2. Android SMS gateway, 25 a minute: all 1,447 through `delivery.drain` on a controlled clock (the
   sleeps are virtual, the HTTP is real): the most attempts in any 60 s window, and the virtual time.
3. Commercial SMS (10/s), WhatsApp (20/s) and Telegram (25/s): `--fast-sample` messages each on the
   real clock: the achieved rate and the most attempts in any 1 s window, against the limit.
4. Capacity: the same sample with no limit (what the worker and the fake gateway manage), so the ratio
   limit / capacity shows whether the channel or the server is the bottleneck.
"""

import argparse
import multiprocessing
import socket
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

KPPS = 1447


class VirtualClock:
    def __init__(self):
        from django.utils import timezone

        self.moment = timezone.now()
        self.slept = 0.0

    def now(self):
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.moment += timedelta(seconds=seconds)


def worst_window(provider: str, seconds: float, batch: str) -> int:
    from sinergi.messaging.models import OutboundMessage

    stamps = OutboundMessage.objects.filter(provider=provider, batch=batch).values_list("last_attempt_at", flat=True)
    times = sorted(t for t in stamps if t is not None)
    worst, j = 0, 0
    for i, start in enumerate(times):
        while j < len(times) and times[j] < start + timedelta(seconds=seconds):
            j += 1
        worst = max(worst, j - i)
    return worst


def configure(gateway, url: str) -> None:
    from django.conf import settings

    creds = gateway.credentials
    settings.SINERGI_PUBLIC_URL = "http://127.0.0.1:9"
    settings.SINERGI_ANDROID_SMS_URL = f"{url}/android"
    settings.SINERGI_ANDROID_SMS_USER, settings.SINERGI_ANDROID_SMS_PASSWORD = (
        creds.android_user,
        creds.android_password,
    )
    settings.SINERGI_TWILIO_URL = f"{url}/twilio"
    settings.SINERGI_TWILIO_ACCOUNT_SID, settings.SINERGI_TWILIO_AUTH_TOKEN = creds.twilio_sid, creds.twilio_token
    settings.SINERGI_TWILIO_FROM = "+15005550006"
    settings.SINERGI_WHATSAPP_URL = f"{url}/whatsapp"
    settings.SINERGI_WHATSAPP_TOKEN = creds.whatsapp_token
    settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID = creds.whatsapp_phone_number_id
    settings.SINERGI_TELEGRAM_URL = f"{url}/telegram"
    settings.SINERGI_TELEGRAM_BOT_TOKEN = creds.telegram_token


def make_users():
    from sinergi.accounts.models import Membership, User
    from sinergi.accounts.roles import Role
    from testkit.builders import agencies_make, world_make

    world_make()
    agency = agencies_make()["kpu-kukar"]
    users = User.objects.bulk_create(
        [
            User(username=f"kpps{n:04d}", phone=f"0813{n:08d}", phone_digits=f"62813{n:08d}", preferred_language="id")
            for n in range(1, KPPS + 1)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, agency=agency, role=Role.KPU_OPERATOR, area_id="64.02.06.2001") for u in users]
    )
    return list(User.objects.filter(username__startswith="kpps").order_by("id"))


def queue_cost(users) -> None:
    from django.db import transaction

    from sinergi.messaging import services
    from sinergi.messaging.models import OutboundMessage

    text = "Sinergi GLADI: uji kanal. Balas pesan ini dengan OK G1 untuk konfirmasi."
    start = time.perf_counter()
    with transaction.atomic():
        for user in users:
            services.send(text=text, purpose="test_broadcast", user=user, batch="queue")
    one_by_one = time.perf_counter() - start
    assert OutboundMessage.objects.filter(batch="queue").count() == KPPS
    OutboundMessage.objects.filter(batch="queue").delete()

    start = time.perf_counter()
    with transaction.atomic():
        result = services.send_many(users=users, text=text, purpose="test_broadcast", batch="many")
    queued = time.perf_counter() - start
    assert len(result.messages) == KPPS and not result.refused
    OutboundMessage.objects.filter(batch="many").delete()

    start = time.perf_counter()
    with transaction.atomic():
        OutboundMessage.objects.bulk_create(
            [
                OutboundMessage(
                    channel="sms", provider="android", address=f"+62813{n:08d}", text=text, purpose="raw", batch="raw"
                )
                for n in range(KPPS)
            ]
        )
    raw = time.perf_counter() - start
    OutboundMessage.objects.filter(batch="raw").delete()
    print(f"queue {KPPS} one by one (services.send)   {one_by_one:6.2f} s  ratio {one_by_one / raw:5.1f}x")
    print(f"queue {KPPS} as a batch (services.send_many) {queued:6.2f} s  ratio {queued / raw:5.1f}x")
    print(f"raw bulk_create of {KPPS} rows (baseline)   {raw:6.2f} s")


def send_batch(users, channel: str, batch: str) -> None:
    from django.db import transaction

    from sinergi.messaging import services

    with transaction.atomic():
        for n in range(len(users)):
            address = str(700000001 + n) if channel == "telegram" else f"+62813{n + 1:08d}"
            services.send(text=f"uji {n}", purpose="bench", address=address, channel=channel, batch=batch)


def android_full(users) -> None:
    from django.conf import settings

    from sinergi.messaging.delivery import drain

    settings.SINERGI_SMS_PROVIDER = "android"
    settings.SINERGI_MESSAGING_RATES["android"] = (25, 60)
    send_batch(users, "sms", "android")
    clock = VirtualClock()
    start = time.perf_counter()
    outcome = drain(run_for=10**6, clock=clock)
    wall = time.perf_counter() - start
    print(
        f"android 25/min: {outcome.sent} sent, worst 60 s window {worst_window('android', 60, 'android')} (limit 25), "
        f"virtual {clock.slept / 60:.1f} min, wall {wall:.1f} s of real HTTP"
    )


def fast(users, provider: str, channel: str, limit: int, sample: int) -> None:
    from django.conf import settings

    from sinergi.messaging.delivery import drain

    if channel == "sms":
        settings.SINERGI_SMS_PROVIDER = provider
    for label, rate in ((f"limit {limit}/s", (limit, 1)), ("no limit", (10**6, 1))):
        batch = f"{provider}-{rate[0]}"
        settings.SINERGI_MESSAGING_RATES[provider] = rate
        send_batch(users[:sample], channel, batch)
        start = time.perf_counter()
        outcome = drain(run_for=3600)
        wall = time.perf_counter() - start
        print(
            f"{provider:9} {label:14} {outcome.sent} sent in {wall:6.2f} s = {outcome.sent / wall:7.1f}/s, "
            f"worst 1 s window {worst_window(provider, 1, batch)}"
        )


def serve_gateway(port: int) -> None:
    """The fake gateway in a process of its own, as in the demo (not competing for this one's GIL)."""
    from sinergi.messaging.fakegateway import FakeGateway

    gateway = FakeGateway(callback_delay=0).start(port=port)
    while True:
        time.sleep(5)
        gateway.take_callbacks()  # nobody posts them here; keep memory flat


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--fast-sample", type=int, default=300)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    setup_django(url)
    from sinergi.messaging.fakegateway import FakeGateway

    port = free_port()
    process = multiprocessing.Process(target=serve_gateway, args=(port,), daemon=True)
    process.start()
    gateway = FakeGateway()  # its credentials and address only; the server runs in the other process
    gateway.server = None
    configure(gateway, f"http://127.0.0.1:{port}")
    time.sleep(1)
    from django.conf import settings

    users = make_users()
    print(
        f"database {url.split(':')[0]}, {KPPS} KPPS chairs of Kukar, {settings.SINERGI_MESSAGING_SEND_THREADS} send threads"
    )
    queue_cost(users)
    android_full(users)
    fast(users, "twilio", "sms", 10, args.fast_sample)
    fast(users, "whatsapp", "whatsapp", 20, args.fast_sample)
    fast(users, "telegram", "telegram", 25, args.fast_sample)
    process.terminate()


if __name__ == "__main__":
    main()
