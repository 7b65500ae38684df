"""Incident benchmarks: API intake throughput against a no-op endpoint, and queue/list/map/statistics
latency at 1,000 and at 100,000 reports, all in one run on one database.

    python benchmarks/incidents_queue.py [--postgres] [--reports 100000] [--intake 1000]

SQLite in a temporary file by default; `--postgres` uses a fresh database `sinergi_bench_incidents` on
127.0.0.1:5432 (dropped at the end).

The data set is deterministic (seed 2024): 38 provinces, 532 kabupaten/kota, 2,000 kecamatan with a
Polsek each (under a Polres per kabupaten), 20,000 desa with one TPS each, reports spread over 30 days,
all categories, states and severities. Requests go through Django's full stack in-process (the test
client: middleware, session or Bearer auth, ninja, templates), so the baseline is the same stack:
a no-op ninja endpoint with the same auth and the same request schema, registered only here.
Prints medians and the ratio to the no-op baseline measured in the same run.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench_django  # noqa: E402

N_PROVINCES, KAB_PER_PROVINCE, N_KECAMATAN, N_DESA = 38, 14, 2_000, 20_000
NOW = datetime(2024, 11, 27, 5, 0, tzinfo=UTC)
PG_SERVER, PG_DB = "postgres://postgres@127.0.0.1:5432", "sinergi_bench_incidents"


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def setup_django(database_url: str) -> None:
    """The test settings (no debug query log), with the project's URLs plus the benchmark's no-op endpoint."""
    bench_django.setup_django(
        database_url, SINERGI_DEMO="0", SINERGI_TESTING="1", DJANGO_SETTINGS_MODULE="sinergi.settings_test"
    )
    from django.conf import settings

    settings.ROOT_URLCONF = __name__


def _bench_urls():
    from django.urls import include, path
    from ninja import NinjaAPI

    from sinergi.api import BearerToken, SessionCookie
    from sinergi.incidents.api import ReportIn

    noop = NinjaAPI(urls_namespace="bench", auth=[BearerToken(), SessionCookie()], docs_url=None, openapi_url=None)

    @noop.post("/noop", response={201: dict})
    def noop_create(request, payload: ReportIn):
        return 201, {"ok": True, "category": payload.category}

    @noop.get("/noop", response=dict)
    def noop_read(request):
        return {"ok": True}

    return [path("", include("sinergi.urls")), path("bench/", noop.urls)]


def __getattr__(name: str):  # the urlconf is built lazily, after django.setup()
    if name == "urlpatterns":
        return _bench_urls()
    raise AttributeError(name)


def build_world() -> dict:
    from sinergi.accounts.models import User
    from sinergi.accounts.roles import AgencyKind, Role
    from sinergi.accounts.services import agency_ensure, membership_grant
    from sinergi.areas.models import Area, PollingStation

    areas = [Area(code="ID", name="Indonesia", level="nasional")]
    kabs = []
    for p in range(N_PROVINCES):
        prov = f"{11 + p:02d}"
        areas.append(Area(code=prov, name=f"Provinsi {prov}", level="provinsi", parent_id="ID"))
        for k in range(KAB_PER_PROVINCE):
            kabs.append(f"{prov}.{k + 1:02d}")
            areas.append(Area(code=kabs[-1], name=f"Kabupaten {kabs[-1]}", level="kabupaten_kota", parent_id=prov))
    kecs = [f"{kabs[i % len(kabs)]}.{i // len(kabs) + 1:02d}" for i in range(N_KECAMATAN)]
    areas += [Area(code=c, name=f"Kecamatan {c}", level="kecamatan", parent_id=c[:5]) for c in kecs]
    desas = [f"{kecs[i % len(kecs)]}.{2001 + i // len(kecs)}" for i in range(N_DESA)]
    areas += [Area(code=d, name=f"Desa {d}", level="desa_kelurahan", parent_id=d[:8]) for d in desas]
    for level in ("nasional", "provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"):
        Area.objects.bulk_create([a for a in areas if a.level == level], batch_size=2000)
    PollingStation.objects.bulk_create(
        [
            PollingStation(code=f"{d}.001", desa_id=d, number=1, dpt_male=150, dpt_female=150, dpt_total=300)
            for d in desas
        ],
        batch_size=2000,
    )
    polres = {
        k: agency_ensure(code=f"polres-{k}", name=f"Polres {k}", kind=AgencyKind.POLRES, area_code=k) for k in kabs[:60]
    }
    polsek = {}
    for c in kecs:
        parent = polres.get(c[:5])
        polsek[c] = agency_ensure(
            code=f"polsek-{c}", name=f"Polsek {c}", kind=AgencyKind.POLSEK, area_code=c, parent=parent
        )
    admin = User.objects.create_user(username="admin.bench", password="x", is_superuser=True)
    kapolsek = User.objects.create_user(username="kapolsek.bench", password="x")
    membership_grant(user=kapolsek, agency=polsek[kecs[0]], role=Role.POLICE_PLANNER, area_code=kecs[0])
    field = User.objects.create_user(username="petugas.bench", password="x")
    membership_grant(user=field, agency=polsek[kecs[0]], role=Role.FIELD_OFFICER, area_code="ID")
    return {
        "desas": desas,
        "kecs": kecs,
        "polsek": {c: a.pk for c, a in polsek.items()},
        "admin": admin,
        "kapolsek": kapolsek,
        "field": field,
    }


def add_reports(world: dict, start: int, count: int) -> None:
    """`count` more reports, deterministic by index; written with bulk inserts (not the service)."""
    from sinergi.incidents import sla
    from sinergi.incidents.models import Category, Report

    rng = random.Random(2024 + start)
    categories = list(Category.objects.values_list("pk", flat=True))
    states = ["baru"] * 5 + ["diverifikasi"] * 2 + ["ditindaklanjuti"] * 2 + ["selesai", "ditolak"]
    desas, kecs = world["desas"], world["kecs"]
    # The benchmark Polsek's kecamatan gets its share like any other: ~1/2000 of the reports.
    rows = []
    for i in range(start, start + count):
        desa = desas[rng.randrange(len(desas))] if i % 2000 else desas[0]
        received = NOW - timedelta(minutes=rng.randrange(30 * 24 * 60))
        severity = rng.randint(1, 4)
        at_tps = rng.random() < 0.6
        rows.append(
            Report(
                tracking_code=f"B{i:09d}"[:12],
                client_id=f"bench:{i}",
                category_id=categories[rng.randrange(len(categories))],
                desa_id=desa,
                polling_station_id=f"{desa}.001" if at_tps else None,
                scope_code=f"{desa}.001" if at_tps else desa,
                lat=-0.5 + rng.random() if rng.random() < 0.5 else None,
                lng=117 + rng.random(),
                occurred_at=received - timedelta(minutes=30),
                received_at=received,
                received_day=(received + timedelta(hours=8)).date(),
                description=f"Laporan uji nomor {i} tentang kejadian di {desa}",
                severity=severity,
                channel="api",
                state=rng.choice(states),
                agency_id=world["polsek"][desa[:8]],
                ack_due_at=sla.ack_due(received, severity),
                escalation_area_code=desa,
            )
        )
    Report.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    from sinergi.incidents.tallies import tallies_rebuild

    started = time.perf_counter()
    tallies = tallies_rebuild()  # a bulk load bypasses the services, so the counters are recomputed
    print(f"  tallies rebuilt: {tallies:,} rows in {time.perf_counter() - started:.1f} s")

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _ = kecs


def median_ms(client, method: str, url: str, runs: int, **kwargs) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = getattr(client, method)(url, **kwargs)
        times.append(time.perf_counter() - started)
        assert response.status_code in (200, 201), (url, response.status_code, response.content[:300])
    return statistics.median(times) * 1000


def latencies(world: dict, runs: int) -> dict[str, float]:
    from django.test import Client

    from sinergi.accounts.tokens import token_create

    admin, kapolsek = Client(), Client()
    admin.force_login(world["admin"])
    kapolsek.force_login(world["kapolsek"])
    kab = world["kecs"][0][:5]
    token = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=world['admin'])}"}
    cursor = admin.get("/api/v1/incidents?limit=50", **token).json()["next_cursor"]
    pages = {
        "no-op GET (baseline)": (admin, "/bench/noop", {}),
        "queue, all reports (national admin)": (admin, "/laporan/?tab=all", {}),
        "queue, filtered kab+category+state+severity": (
            admin,
            f"/laporan/?tab=all&area={kab}&category=politik-uang&state=baru&severity=3",
            {},
        ),
        "queue, needs my action (Polsek)": (kapolsek, "/laporan/?tab=mine", {}),
        "API list, page 2 by cursor": (admin, f"/api/v1/incidents?limit=50&before={cursor}", token),
        "map data, a province": (admin, f"/laporan/peta/data/?area={kab[:2]}", {}),
        "statistics, a province": (admin, f"/laporan/statistik/?area={kab[:2]}", {}),
        "map data, national": (admin, "/laporan/peta/data/?area=ID", {}),
        "statistics, national": (admin, "/laporan/statistik/?area=ID", {}),
    }
    return {name: median_ms(client, "get", url, runs, **extra) for name, (client, url, extra) in pages.items()}


def intake(world: dict, n: int, offset: int) -> tuple[float, float]:
    from django.test import Client

    from sinergi.accounts.tokens import token_create

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=world['field'])}"}
    rng = random.Random(7)
    bodies = [
        {
            "category": "intimidasi-kekerasan",
            "area_code": f"{world['desas'][rng.randrange(N_DESA)]}.001",
            "description": f"Uji asupan {i}: ancaman kepada petugas KPPS",
            "severity": 1 + i % 4,
            "client_id": f"intake:{offset + i}",
        }
        for i in range(n)
    ]

    def run(url: str) -> float:
        started = time.perf_counter()
        for body in bodies:
            response = client.post(url, body, content_type="application/json", **headers)
            assert response.status_code == 201, response.content[:300]
        return n / (time.perf_counter() - started)

    return run("/bench/noop"), run("/api/v1/incidents")


def report(label: str, values: dict[str, float]) -> None:
    base = values["no-op GET (baseline)"]
    print(f"\n{label}")
    for name, ms in values.items():
        print(f"  {name:<46} {ms:8.2f} ms   x{ms / base:6.1f} of no-op")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--intake", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="sinergi-bench-incidents-")
    if args.postgres:
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
        pg_admin(f"CREATE DATABASE {PG_DB}")
    setup_django(f"{PG_SERVER}/{PG_DB}" if args.postgres else f"sqlite:///{tmp}/bench.sqlite3")
    from django.db import connection

    started = time.perf_counter()
    world = build_world()
    print(f"{connection.vendor}: world built in {time.perf_counter() - started:.1f} s")
    add_reports(world, 0, 1_000)
    small = latencies(world, args.runs)
    report("at 1,000 reports", small)
    started = time.perf_counter()
    add_reports(world, 1_000, args.reports - 1_000)
    print(f"\n{args.reports:,} reports inserted in {time.perf_counter() - started:.1f} s")
    large = latencies(world, args.runs)
    report(f"at {args.reports:,} reports", large)
    print(f"\ngrowth 1,000 -> {args.reports:,} reports (ratio of medians)")
    for name in large:
        print(f"  {name:<46} x{large[name] / small[name]:5.2f}")
    noop_rate, create_rate = intake(world, args.intake, args.reports)
    print(
        f"\nintake of {args.intake:,} reports through POST /api/v1/incidents, one at a time, at {args.reports:,} stored:"
    )
    if args.postgres:
        connection.close()
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
    print(f"  no-op endpoint (auth + schema)  {noop_rate:8.1f} req/s")
    print(
        f"  create (validate, route, store, timeline, notify) {create_rate:8.1f} reports/s  = {create_rate / noop_rate:.2f} of no-op"
    )


if __name__ == "__main__":
    main()
