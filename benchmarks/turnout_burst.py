"""The poll-close burst: every TPS reports one checkpoint through the HTTP API of a real server.

Builds a deterministic national data set (7,285 kecamatan, 83,762 desa, 435,296 TPS by default) in a
PostgreSQL database of its own, starts gunicorn with several worker processes on 127.0.0.1, and
drives it from a bounded pool of keep-alive client threads on the same machine:

  1. baseline: the no-op endpoint (/api/v1/turnout/noop: auth + parse + authorise, no write),
  2. burst: every TPS reports checkpoint 13 (a share as single reports, the rest in batches), while a
     reader polls the national roll-up; then the totals are checked exactly against the database,
  3. crash: a subset reports checkpoint 11, the server is killed (SIGKILL) mid-burst, restarted, and
     everything is sent again with the same client ids; totals must be exact with no duplicates.

    python benchmarks/turnout_burst.py [--tps 435296] [--workers 4] [--clients 8] [--crash-tps 100000]

The exact gunicorn command is printed. The database is dropped at the end (--keep to keep it).
"""

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "sinergi_bench_turnout"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
PORT = 8765
N_KECAMATAN, N_DESA, N_PROVINCES, KAB_PER_PROVINCE = 7_285, 83_762, 38, 14


def sql_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def build(n_tps: int) -> tuple[list[tuple[str, int]], str]:
    """Areas, TPS, a national election with its slots, and a KPU operator's token."""
    sql_admin(f"DROP DATABASE IF EXISTS {DB}")
    sql_admin(f"CREATE DATABASE {DB}")
    os.environ.update(DATABASE_URL=f"{SERVER_URL}/{DB}", SINERGI_DEMO="1", DJANGO_SETTINGS_MODULE="sinergi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    areas, stations = synthetic_tree(n_tps)
    copy_rows(areas, stations)
    return [(code, dpt) for code, _, dpt in stations], prepare_election()


def synthetic_tree(n_tps: int) -> tuple[list[tuple], list[tuple]]:
    rng = random.Random(2024)
    areas = [("ID", "Indonesia", "nasional", None)]
    kabs = []
    for p in range(N_PROVINCES):
        prov = f"{11 + p:02d}"
        areas.append((prov, f"Provinsi {prov}", "provinsi", "ID"))
        for k in range(KAB_PER_PROVINCE):
            kabs.append(f"{prov}.{k + 1:02d}")
            areas.append((kabs[-1], f"Kabupaten {kabs[-1]}", "kabupaten_kota", prov))
    kecs = [f"{kabs[i % len(kabs)]}.{i // len(kabs) + 1:02d}" for i in range(N_KECAMATAN)]
    areas += [(c, f"Kecamatan {c}", "kecamatan", c[:5]) for c in kecs]
    desas = [f"{kecs[i % len(kecs)]}.{2001 + i // len(kecs)}" for i in range(N_DESA)]
    areas += [(d, f"Desa {d}", "desa_kelurahan", d[:8]) for d in desas]
    stations = []
    for i in range(n_tps):
        desa = desas[i % len(desas)]
        stations.append((f"{desa}.{i // len(desas) + 1:03d}", desa, rng.randint(250, 600)))
    return areas, stations


def copy_rows(areas: list[tuple], stations: list[tuple]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM areas_area")
        with cursor.copy(
            "COPY areas_area (code, name, level, kind, parent_code, is_active, children_count, tps_count, "
            "dpt_male, dpt_female, dpt_total) FROM STDIN"
        ) as copy:
            for code, name, level, parent in sorted(areas, key=lambda a: len(a[0])):
                copy.write_row((code, name, level, "", parent, True, 0, 0, 0, 0, 0))
        with cursor.copy(
            "COPY areas_pollingstation (code, desa_code, number, dpt_male, dpt_female, dpt_total, is_special, address) "
            "FROM STDIN"
        ) as copy:
            for code, desa, dpt in stations:
                copy.write_row((code, desa, int(code[-3:]), dpt // 2, dpt - dpt // 2, dpt, False, ""))
        cursor.execute("ANALYZE")


def prepare_election() -> str:
    import datetime as dt

    from sinergi.accounts.models import User
    from sinergi.accounts.roles import AgencyKind, Role
    from sinergi.accounts.services import agency_ensure, membership_grant
    from sinergi.accounts.tokens import token_create
    from sinergi.areas.models import Election
    from sinergi.turnout.setup import election_prepare

    election = Election.objects.create(
        slug="bench-nasional",
        name="Benchmark nasional",
        kind="pemilu",
        region_id="ID",
        voting_date=dt.date.today(),
        time_zone="Asia/Jakarta",
    )
    started = time.perf_counter()
    created = election_prepare(election)
    print(f"slots prepared: {created:,} in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = User.objects.create_user(username="kpu.ri", password="x")
    agency = agency_ensure(code="kpu-ri", name="KPU RI", kind=AgencyKind.KPU, area_code="ID")
    membership_grant(user=user, agency=agency, role=Role.KPU_OPERATOR, area_code="ID")
    return token_create(user=user)


def server_command(workers: int) -> list[str]:
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "sinergi.wsgi:application",
        f"--workers={workers}",
        "--worker-class=gthread",
        "--threads=2",
        f"--bind=127.0.0.1:{PORT}",
        "--backlog=2048",
        "--timeout=60",
    ]


def server_start(workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SINERGI_DEMO": "",
        "SINERGI_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
        "SINERGI_ALLOWED_HOSTS": "127.0.0.1",
        "SINERGI_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{SERVER_URL}/{DB}",
    }
    process = subprocess.Popen(server_command(workers), env=env, cwd=ROOT, start_new_session=True)
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def server_kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class Client:
    """One keep-alive connection; reconnects and retries until the server answers (like a field app)."""

    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, float]:
        while True:
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                started = time.perf_counter()
                self.conn.request(method, path, body=body, headers=self.headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.status >= 500:
                    raise OSError(f"server error {response.status}")
                return response.status, data, time.perf_counter() - started
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                time.sleep(0.2)


def voters_of(code: str, dpt: int) -> int:
    return (int(code.replace(".", "")) * 2654435761) % (dpt + 1)


def requests_for(stations, checkpoint: str, batch: int, single_share: float, tag: str) -> list[list[dict]]:
    """Deterministic request bodies: the first `single_share` of TPS alone, the rest in batches."""
    items = [
        {"tps_code": code, "checkpoint": checkpoint, "voters": voters_of(code, dpt), "client_id": f"{tag}:{code}"}
        for code, dpt in stations
    ]
    singles = int(len(items) * single_share)
    return [[i] for i in items[:singles]] + [items[i : i + batch] for i in range(singles, len(items), batch)]


def drive(token: str, bodies: list[list[dict]], path: str, clients: int, at_request=None) -> dict:
    """Send every body from `clients` threads; latency per request, split singles/batches."""
    queue = list(enumerate(bodies))
    lock = threading.Lock()
    lat: dict[str, list[float]] = {"single": [], "batch": []}
    sent = {"reports": 0, "requests": 0}
    statuses: dict[int, int] = {}

    def worker() -> None:
        client = Client(token)
        while True:
            with lock:
                if not queue:
                    return
                _, body = queue.pop()
                sent["requests"] += 1
                if at_request is not None and sent["requests"] == at_request[0]:
                    threading.Thread(target=at_request[1]).start()
            payload = (
                {"election": "bench-nasional", "reports": body}
                if len(body) > 1
                else {"election": "bench-nasional", **body[0]}
            )
            status, _, seconds = client.send("POST", path, json.dumps(payload).encode())
            with lock:
                lat["single" if len(body) == 1 else "batch"].append(seconds)
                sent["reports"] += len(body)
                statuses[status] = statuses.get(status, 0) + 1

    queue.reverse()  # pop() from the end keeps the original order
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"elapsed": elapsed, "lat": lat, "statuses": statuses, **sent}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def describe(name: str, run: dict) -> None:
    rate = run["reports"] / run["elapsed"]
    print(
        f"{name}: {run['reports']:,} reports in {run['requests']:,} requests, {run['elapsed']:.1f} s = {rate:,.0f} reports/s"
    )
    for kind, values in run["lat"].items():
        if values:
            print(
                f"  {kind:6s} n={len(values):,} p50={pct(values, 0.5):.1f} ms p99={pct(values, 0.99):.1f} ms max={max(values) * 1000:.0f} ms"
            )
    print(f"  statuses {run['statuses']}")


def reader(token: str, stop: threading.Event, out: list[float]) -> None:
    client = Client(token)
    while not stop.is_set():
        _, _, seconds = client.send("GET", "/api/v1/turnout/areas/ID?checkpoint=13&election=bench-nasional")
        out.append(seconds)
        stop.wait(1.0)


def check_totals(stations, checkpoint: str, tag: str) -> None:
    from django.db.models import Count, Sum

    from sinergi.turnout.models import Report, Slot

    expected = sum(voters_of(code, dpt) for code, dpt in stations)
    slots = Slot.objects.filter(checkpoint__code=checkpoint, checkpoint__election__slug="bench-nasional")
    got = slots.aggregate(reported=Count("voters"), voters=Sum("voters"))
    reports = Report.objects.filter(slot__checkpoint__code=checkpoint, client_id__startswith=f"{tag}:").count()
    versions = slots.filter(versions__gt=1).count()
    ok = got["reported"] == len(stations) and got["voters"] == expected and reports == len(stations) and versions == 0
    print(
        f"  totals checkpoint {checkpoint}: reported {got['reported']:,}/{len(stations):,}, voters {got['voters']:,} "
        f"(expected {expected:,}), report rows {reports:,}, slots with >1 version {versions} -> {'EXACT' if ok else 'WRONG'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tps", type=int, default=435_296)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--single-share", type=float, default=0.03)
    parser.add_argument("--crash-tps", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    stations, token = build(args.tps)
    print(f"built {len(stations):,} TPS in {time.perf_counter() - started:.0f} s")
    print("server: " + " ".join(server_command(args.workers)))
    server = server_start(args.workers)
    try:
        sample = stations[:20_000]
        noop = drive(token, requests_for(sample, "13", args.batch, 0.25, "noop"), "/api/v1/turnout/noop", args.clients)
        describe("no-op baseline", noop)
        stop, reads = threading.Event(), []
        watcher = threading.Thread(target=reader, args=(token, stop, reads))
        watcher.start()
        burst = drive(
            token,
            requests_for(stations, "13", args.batch, args.single_share, "burst"),
            "/api/v1/turnout/reports",
            args.clients,
        )
        stop.set()
        watcher.join()
        describe("burst (checkpoint 13)", burst)
        print(
            f"  national roll-up reads during the burst: n={len(reads)} p50={pct(reads, 0.5):.0f} ms p99={pct(reads, 0.99):.0f} ms max={max(reads) * 1000:.0f} ms"
        )
        for kind in ("single", "batch"):
            if noop["lat"][kind] and burst["lat"][kind]:
                print(f"  {kind} p50 ratio to no-op: {pct(burst['lat'][kind], 0.5) / pct(noop['lat'][kind], 0.5):.1f}x")
        check_totals(stations, "13", "burst")
        crash = stations[: args.crash_tps]
        bodies = requests_for(crash, "11", args.batch, args.single_share, "crash")
        holder = {"server": server}

        def crash_and_restart() -> None:
            server_kill(holder["server"])
            print("  crash: server killed (SIGKILL) with requests in flight; restarting")
            holder["server"] = server_start(args.workers)

        first = drive(
            token, bodies, "/api/v1/turnout/reports", args.clients, at_request=(len(bodies) * 2 // 5, crash_and_restart)
        )
        describe("crash burst (checkpoint 11, killed at 40 %)", first)
        server = holder["server"]
        again = drive(token, bodies, "/api/v1/turnout/reports", args.clients)
        describe("resend after restart (checkpoint 11)", again)
        check_totals(crash, "11", "crash")
    finally:
        server_kill(server)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            sql_admin(f"DROP DATABASE IF EXISTS {DB}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
