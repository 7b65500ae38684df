"""Grants benchmarks on a fresh database (SQLite file by default, or --database-url postgres://...).

    python benchmarks/grants_ledger.py [--database-url URL] [--regions 545] [--entries 50] [--posts 2000]

1. Ledger posting throughput through `services.ledger_post` (row lock, invariant checks, history
   row, one transaction per entry) against a raw baseline in the same run: one transaction per entry
   that only INSERTs the ledger row and UPDATEs the totals, with no lock and no checks.
2. The overview pages at national scale (545 regions x 6 agreements x ~50 entries): query count and
   median latency of the national, a province and a regency overview and the public index, each as a
   ratio to the plain SQL aggregate they rest on.

Everything is built deterministically (no random numbers); printed numbers are ratios to baselines
measured in the same run (the machines are shared and noisy).
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

PROVINCES = 37
RECIPIENTS = [
    ("kpu", "kpu", Decimal("0.70")),
    ("bawaslu", "bawaslu", Decimal("0.15")),
    ("polres", "polres", Decimal("0.08")),
    ("kodim", "kodim", Decimal("0.03")),
    ("polres2", "polres", Decimal("0.02")),
    ("kodim2", "kodim", Decimal("0.02")),
]
SIGNED = dt.date(2023, 11, 10)
VOTING = dt.date(2024, 11, 27)


def region_codes(regions: int) -> list[str]:
    """37 provinces (their Pilgub) and the rest regencies spread evenly over them."""
    provinces = [str(11 + i) for i in range(PROVINCES)]
    regencies = [f"{provinces[i % PROVINCES]}.{i // PROVINCES + 1:02d}" for i in range(regions - PROVINCES)]
    return provinces + regencies


def build(regions: int, entries_per_agreement: int) -> dict:
    from sinergi.accounts.models import Agency
    from sinergi.areas.models import Area, Election
    from sinergi.grants import schedule
    from sinergi.grants.models import Agreement, AgreementVersion, DisbursementPolicy, LedgerEntry, Tranche

    codes = region_codes(regions)
    Area.objects.get_or_create(code="ID", defaults={"name": "Indonesia", "level": "nasional"})
    Area.objects.bulk_create(
        [Area(code=c, name=f"Provinsi {c}", level="provinsi", parent_id="ID") for c in codes if "." not in c]
        + [Area(code=c, name=f"Kabupaten {c}", level="kabupaten_kota", parent_id=c[:2]) for c in codes if "." in c],
        batch_size=1000,
    )
    Election.objects.bulk_create(
        [
            Election(
                slug=f"pilkada-{c.replace('.', '-')}",
                name=f"Pilkada {c}",
                kind="pilbup",
                region_id=c,
                voting_date=VOTING,
                time_zone="Asia/Jakarta",
            )
            for c in codes
        ]
    )
    elections = dict(Election.objects.values_list("region_id", "pk"))
    Agency.objects.bulk_create(
        [
            Agency(code=f"{slug}-{c.replace('.', '-')}", name=f"{slug.upper()} {c}", kind=kind, area_id=c)
            for c in codes
            for slug, kind, _ in RECIPIENTS
        ],
        batch_size=2000,
    )
    agencies = dict(Agency.objects.values_list("code", "pk"))
    policies = {p.code: p for p in DisbursementPolicy.objects.prefetch_related("steps")}
    steps = {
        code: [
            schedule.Step(s.seq, s.label, s.share_pct, s.anchor, s.working_days, s.months_before) for s in p.steps.all()
        ]
        for code, p in policies.items()
    }
    agreements, plans = [], []
    for index, c in enumerate(codes):
        budget = Decimal(20_000_000_000 + 1_000_000 * (index % 997))
        for slug, kind, share in RECIPIENTS:
            policy = "41-2020-bertahap" if kind in ("kpu", "bawaslu") else "41-2020-sekaligus"
            amount = (budget * share).quantize(Decimal(1))
            spent = (amount * Decimal("0.9")).quantize(Decimal(1))
            agreements.append(
                Agreement(
                    election_id=elections[c],
                    region_id=c,
                    recipient_id=agencies[f"{slug}-{c.replace('.', '-')}"],
                    number=f"NPHD/{slug}/{c}",
                    signed_on=SIGNED,
                    amount=amount,
                    policy=policies[policy],
                    disbursed=amount,
                    spent=spent,
                    entry_count=entries_per_agreement,
                )
            )
            plans.append(schedule.plan(steps[policy], amount=amount, signed_on=SIGNED, voting_date=VOTING))
    Agreement.objects.bulk_create(agreements, batch_size=2000)
    ids = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    AgreementVersion.objects.bulk_create(
        [
            AgreementVersion(
                agreement_id=pk,
                version=1,
                number=a.number,
                signed_on=SIGNED,
                amount=a.amount,
                policy=a.policy,
                budget_years=[],
            )
            for pk, a in zip(ids, agreements, strict=True)
        ],
        batch_size=2000,
    )
    Tranche.objects.bulk_create(
        [
            Tranche(
                agreement_id=pk,
                seq=t.seq,
                label=t.label,
                share_pct=t.share_pct,
                amount=t.amount,
                cumulative=t.cumulative,
                due_on=t.due_on,
                rule=t.rule,
            )
            for pk, plan in zip(ids, plans, strict=True)
            for t in plan
        ],
        batch_size=5000,
    )
    rows = []
    for pk, a in zip(ids, agreements, strict=True):
        spendings = entries_per_agreement - 1
        piece = (a.spent / spendings).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        rows.append(
            LedgerEntry(
                agreement_id=pk,
                seq=1,
                kind="disbursement",
                account="disbursed",
                amount=a.amount,
                entry_date=SIGNED,
                reference="SP2D",
                client_id=f"b-{pk}-1",
            )
        )
        for seq in range(2, entries_per_agreement + 1):
            value = piece if seq < entries_per_agreement else a.spent - piece * (spendings - 1)
            rows.append(
                LedgerEntry(
                    agreement_id=pk,
                    seq=seq,
                    kind="spending",
                    account="spent",
                    amount=value,
                    entry_date=VOTING,
                    reference=f"LPJ {seq}",
                    category="operasional",
                    client_id=f"b-{pk}-{seq}",
                )
            )
        if len(rows) >= 20_000:
            LedgerEntry.objects.bulk_create(rows, batch_size=5000)
            rows = []
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    return {"codes": codes, "agreements": len(ids)}


def bench_posting(posts: int) -> None:
    from django.db import connection, transaction
    from django.db.models import F

    from sinergi.accounts.models import User
    from sinergi.core.models import Channel
    from sinergi.grants import services
    from sinergi.grants.models import Agreement, LedgerEntry

    admin = User.objects.get(username="bench-admin")
    targets = list(Agreement.objects.order_by("pk").values_list("pk", flat=True)[:200])
    # Fresh room on the target agreements: raise their amount so that every posted entry fits.
    Agreement.objects.filter(pk__in=targets).update(amount=F("amount") + Decimal(10**12))
    day = dt.date(2024, 12, 1)

    def service() -> None:
        for i in range(posts):
            services.ledger_post(
                actor=admin,
                agreement_id=targets[i % len(targets)],
                kind="disbursement",
                amount=Decimal("1000.00"),
                entry_date=day,
                reference=f"SP2D {i}",
                client_id=f"svc-{i}",
                channel=Channel.API,
                today=day,
            )

    def raw() -> None:
        table, agreements = LedgerEntry._meta.db_table, Agreement._meta.db_table
        for i in range(posts):
            pk = targets[i % len(targets)]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT entry_count FROM {agreements} WHERE id = %s", [pk])
                seq = cursor.fetchone()[0] + 1
                cursor.execute(
                    f"INSERT INTO {table} (agreement_id, seq, kind, account, amount, entry_date, reference, category,"
                    " note, client_id, channel, created_at) VALUES (%s, %s, 'disbursement', 'disbursed', %s, %s, %s,"
                    " '', '', %s, 'api', %s)",
                    [pk, seq, Decimal("1000.00"), day, f"RAW {i}", f"raw-{i}", dt.datetime.now(dt.UTC)],
                )
                cursor.execute(
                    f"UPDATE {agreements} SET disbursed = disbursed + %s, entry_count = %s WHERE id = %s",
                    [Decimal("1000.00"), seq, pk],
                )

    raw_s = timed(raw)
    service_s = timed(service)
    print(f"ledger posting: {posts:,} entries over {len(targets)} agreements")
    print(f"  raw insert+update  {raw_s:.2f} s  ({posts / raw_s:,.0f} entries/s)")
    print(
        f"  ledger_post        {service_s:.2f} s  ({posts / service_s:,.0f} entries/s)  "
        f"ratio {service_s / raw_s:.2f}x of raw"
    )


def bench_pages(codes: list[str], repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sinergi.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    regency = next(c for c in codes if "." in c)
    baseline_sql = (
        "SELECT substr(region_code, 1, 2), SUM(amount), SUM(disbursed), SUM(spent), SUM(refunded), COUNT(*) "
        "FROM grants_agreement GROUP BY 1"
    )

    def plain() -> None:
        with connection.cursor() as cursor:
            cursor.execute(baseline_sql)
            cursor.fetchall()

    base = median_time(plain, repeat)
    noop = median_time(lambda: client.get("/healthz"), repeat)
    print(
        f"pages (median of {repeat}); baselines: one GROUP BY over all agreements {base * 1000:.1f} ms, "
        f"the no-op /healthz request {noop * 1000:.1f} ms"
    )
    from django.core.cache import cache

    for label, url in [
        ("national overview /hibah/ID/", "/hibah/ID/"),
        ("province overview", f"/hibah/{codes[0]}/"),
        (f"regency overview ({regency})", f"/hibah/{regency}/"),
        ("regency XLSX export", f"/hibah/{regency}/ekspor.xlsx"),
        ("public index (uncached)", "/hibah/publik/"),
    ]:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        queries = len(ctx.captured_queries)

        def get(url=url) -> None:
            cache.clear()
            client.get(url)

        seconds = median_time(get, repeat)
        print(
            f"  {label:40s} {queries:3d} queries  {seconds * 1000:7.1f} ms  {seconds / base:5.1f}x the GROUP BY  "
            f"{seconds / noop:5.1f}x /healthz"
        )


def median_time(function, repeat: int) -> float:
    return statistics.median(timed(function) for _ in range(repeat))


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--regions", type=int, default=545)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-bench-grants-"))
    setup_django(args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}")
    from django.db import connection

    from sinergi.accounts.models import User
    from sinergi.accounts.services import agency_ensure, membership_grant
    from sinergi.grants.models import LedgerEntry

    print(f"database: {connection.vendor}")
    built_s = time.perf_counter()
    data = build(args.regions, args.entries)
    print(
        f"built {len(data['codes'])} regions, {data['agreements']:,} agreements, "
        f"{LedgerEntry.objects.count():,} entries in {time.perf_counter() - built_s:.1f} s"
    )
    admin, _ = User.objects.get_or_create(username="bench-admin")
    kemendagri = agency_ensure(code="kemendagri", name="Kemendagri", kind="pemda", area_code="ID")
    membership_grant(user=admin, agency=kemendagri, role="admin", area_code="ID")
    bench_pages(data["codes"], args.repeat)
    bench_posting(args.posts)


if __name__ == "__main__":
    main()
