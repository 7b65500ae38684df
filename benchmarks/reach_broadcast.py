"""A broadcast to every KPPS chair of Kukar (1,447 people) through reach, end to end: the audience check
and count, the per-person area, the messages queued through messaging's `send_many`, the recipient rows
and the history row, in one transaction; against a raw `bulk_create` of the same 1,447 messages in the
same run (the least any queue can cost). Then the delivery board and the readiness board over the same
1,447 people, against a plain `COUNT(*)` of the recipients.

    python benchmarks/reach_broadcast.py [--database-url URL]

Ratios, not times: the machines are shared and noisy.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

KPPS = 1447


def make_roster():
    from sinergi.accounts.models import Agency, Membership, User
    from sinergi.accounts.roles import AgencyKind, Role
    from sinergi.accounts.services import agency_ensure
    from sinergi.people.models import Person, Phone
    from testkit.builders import personas_make, world_make

    world_make()
    personas = personas_make()
    desas = ["64.02.06.1001", "64.02.06.2001", "64.02.05.2001"]
    agencies = [agency_ensure(code=f"kpps-{d}", name=f"KPPS {d}", kind=AgencyKind.KPPS, area_code=d) for d in desas]
    users = User.objects.bulk_create([User(username=f"kpps{n:04d}", preferred_language="id") for n in range(KPPS)])
    Membership.objects.bulk_create(
        [
            Membership(user=u, agency=agencies[n % 3], role=Role.KPU_OPERATOR, area_id=desas[n % 3])
            for n, u in enumerate(users)
        ]
    )
    people = Person.objects.bulk_create([Person(user=u, area_id=desas[n % 3]) for n, u in enumerate(users)])
    Phone.objects.bulk_create([Phone(person=p, e164=f"+62813{n:08d}") for n, p in enumerate(people)])
    assert Agency.objects.filter(kind=AgencyKind.KPPS).count() == 3
    return personas.coordinator


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    setup_django(url)
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from sinergi.areas.models import Area
    from sinergi.messaging.models import OutboundMessage
    from sinergi.reach import selectors, services
    from sinergi.reach.models import Broadcast, Recipient

    settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT = False  # queue only: sending is messaging's benchmark
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    settings.SINERGI_BROADCAST_APPROVAL_ABOVE = 10_000
    coordinator = make_roster()
    print(f"database: {connection.vendor}")

    rounds_reach, rounds_raw, queries = [], [], 0
    for n in range(3):

        def broadcast(n: int = n) -> None:
            with transaction.atomic():
                b, _ = services.broadcast_create(
                    actor=coordinator,
                    area_code="64.02",
                    roles=[],
                    agency_kinds=["kpps"],
                    text=f"Gladi {n}",
                    is_test=True,
                )
                assert b.recipient_count == KPPS

        with CaptureQueriesContext(connection) as captured:
            rounds_reach.append(timed(broadcast))
        queries = len(captured)

        def raw():
            with transaction.atomic():
                OutboundMessage.objects.bulk_create(
                    [
                        OutboundMessage(
                            channel="sms",
                            provider="android",
                            address=f"+62813{k:08d}",
                            text="x",
                            purpose="raw",
                            batch="raw",
                        )
                        for k in range(KPPS)
                    ]
                )

        rounds_raw.append(timed(raw))
        OutboundMessage.objects.filter(batch="raw").delete()
    reach, raw = statistics.median(rounds_reach), statistics.median(rounds_raw)
    print(f"broadcast to {KPPS} KPPS through reach   {reach:6.3f} s  {queries} queries  ratio {reach / raw:5.1f}x")
    print(f"raw bulk_create of {KPPS} messages      {raw:6.3f} s  (baseline)")

    broadcast = Broadcast.objects.select_related("area").order_by("pk").last()
    assert broadcast is not None
    board = statistics.median(timed(lambda: selectors.delivery_board(broadcast)) for _ in range(5))
    count = statistics.median(timed(lambda: Recipient.objects.filter(broadcast=broadcast).count()) for _ in range(5))
    kukar = Area.objects.get(code="64.02")
    readiness = statistics.median(timed(lambda: selectors.readiness(kukar)) for _ in range(5))
    print(f"delivery board ({KPPS} recipients)       {board * 1000:6.1f} ms  ratio {board / count:5.1f}x a COUNT(*)")
    print(
        f"readiness board ({KPPS} people)          {readiness * 1000:6.1f} ms  ratio {readiness / count:5.1f}x a COUNT(*)"
    )
    print(f"COUNT(*) of the recipients (baseline)    {count * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
