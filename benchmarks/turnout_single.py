"""Single turnout reports (one phone, one TPS, one request) against the authenticated no-op endpoint,
in the same run, on PostgreSQL. Issue 14's aim: a single report at least 0.75x the no-op's throughput.

Builds a national-shaped data set (default 60,000 TPS, four checkpoints) in a PostgreSQL database of
its own (`sinergi_bench_single`), then measures two ways:

1. In process (Django test client, one thread, autocommit as in production): statements per request
   for the no-op, a new single report on the fast path, the same on the locked path (the code before
   issue 14, kept behind SINERGI_TURNOUT_FAST_PATH=0), a retry, and a batch of 50; then the time per
   request of each, in alternating rounds so machine noise hits every kind alike. Ratio = no-op time /
   report time (= throughput ratio for one thread).
2. Over HTTP (`--http`): gunicorn (gthread) on 127.0.0.1, closed loop from `--clients` keep-alive
   client threads, phases of `--seconds` alternating no-op / single / batch, for each server variant:
   `fast` (this tree), `locked` (this tree, SINERGI_TURNOUT_FAST_PATH=0) and, with `--before DIR`, the
   code of another commit (`git archive <commit> | tar -x -C DIR`) on the same database. Ratio =
   single reports/s / no-op requests/s within the same server's run. The client threads share the
   2 cores with the server, which narrows every ratio towards 1; the production ratio is measured
   open-loop through nginx and PgBouncer by `scripts/rehearse.sh`.

    python benchmarks/turnout_single.py [--tps 60000] [--rounds 5] [--http] [--before /tmp/before]

The database is dropped at the end (--keep to keep it).
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import turnout_burst as burst  # noqa: E402  (the data set builder and the gunicorn command)

burst.DB = "sinergi_bench_single"
burst.PORT = 8791
ELECTION = "bench-nasional"
BATCH = 50


class Stations:
    """Hands out TPS that have not reported a checkpoint yet, so every report is a first version."""

    def __init__(self, stations: list[tuple[str, int]]) -> None:
        self.rest = {cp: list(stations) for cp in ("09", "11", "13", "final")}
        self.lock = threading.Lock()

    def any(self) -> list[tuple[str, int]]:
        """A TPS for the no-op (it stores nothing, so any will do, again and again)."""
        with self.lock:
            self.turn = (getattr(self, "turn", 0) + 1) % len(self.rest["final"])
            return [self.rest["final"][self.turn]]

    def take(self, checkpoint: str, n: int) -> list[tuple[str, int]]:
        with self.lock:
            got, self.rest[checkpoint] = self.rest[checkpoint][:n], self.rest[checkpoint][n:]
        if len(got) < n:
            raise SystemExit(f"out of TPS for checkpoint {checkpoint}: raise --tps")
        return got


def body(items: list[dict]) -> dict:
    return {"election": ELECTION, **items[0]} if len(items) == 1 else {"election": ELECTION, "reports": items}


def items_for(stations: list[tuple[str, int]], checkpoint: str, tag: str) -> list[dict]:
    return [
        {"tps_code": c, "checkpoint": checkpoint, "voters": burst.voters_of(c, d), "client_id": f"{tag}:{c}"}
        for c, d in stations
    ]


# -- 1. in process --------------------------------------------------------------------------------


def in_process(token: str, pool: Stations, rounds: int, per_round: int, profile: bool = False) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    headers = {"Authorization": f"Bearer {token}"}

    def post(path: str, payload: dict) -> int:
        return client.post(path, payload, content_type="application/json", headers=headers).status_code

    def one(kind: str) -> int:
        if kind == "noop":
            return post("/api/v1/turnout/noop", body(items_for(pool.any(), "09", "noop")))
        if kind == "batch":
            return post("/api/v1/turnout/reports", body(items_for(pool.take("09", BATCH), "09", "batch")))
        if kind == "locked":
            with override_settings(SINERGI_TURNOUT_FAST_PATH=False):
                return post("/api/v1/turnout/reports", body(items_for(pool.take("11", 1), "11", "locked")))
        return post("/api/v1/turnout/reports", body(items_for(pool.take("13", 1), "13", "fast")))

    for kind in ("noop", "fast", "locked", "batch"):  # warm every cache and the token's last_used_at
        one(kind)
    print("statements per request (in autocommit, authentication included):")
    retry = items_for(pool.take("final", 1), "final", "retry")
    post("/api/v1/turnout/reports", body(retry))  # stored; the one measured below is its retry
    for kind in ("noop", "fast", "locked", "retry", "batch"):
        with CaptureQueriesContext(connection) as seen:
            status = post("/api/v1/turnout/reports", body(retry)) if kind == "retry" else one(kind)
        print(f"  {kind:7s} {len(seen):2d} (HTTP {status})")
    timings: dict[str, list[float]] = {k: [] for k in ("noop", "fast", "locked", "batch")}
    cpu_times: dict[str, list[float]] = {k: [] for k in timings}
    for _ in range(rounds):
        for kind in timings:
            n = per_round if kind != "batch" else max(1, per_round // 10)
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(n):
                assert one(kind) in (200, 201)
            timings[kind].append((time.perf_counter() - started) / n)
            cpu_times[kind].append((time.process_time() - cpu) / n)
    if profile:
        import cProfile
        import pstats

        for kind in ("noop", "fast"):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(per_round):
                one(kind)
            profiler.disable()
            print(f"--- profile of {per_round} {kind} requests (own time, top 30)")
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    print(f"per request, median of {rounds} rounds of {per_round} (one thread, in process; the app's CPU")
    print("time excludes PostgreSQL's, wall time includes the round trips and a busy machine's waits):")
    noop, noop_cpu = statistics.median(timings["noop"]), statistics.median(cpu_times["noop"])
    for kind, values in timings.items():
        t, c = statistics.median(values), statistics.median(cpu_times[kind])
        if kind == "batch":
            extra = f"  per report: wall {t / BATCH * 1000:.2f} ms, app CPU {c / BATCH * 1000:.2f} ms"
        else:
            extra = f"  ratio to no-op: wall {noop / t:.2f}, app CPU {noop_cpu / c:.2f}"
        print(f"  {kind:7s} wall {t * 1000:6.2f} ms  app CPU {c * 1000:6.2f} ms{extra}")


# -- 2. over HTTP -----------------------------------------------------------------------------------


def server_start(variant: str, before: str | None, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SINERGI_DEMO": "",
        "SINERGI_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
        "SINERGI_ALLOWED_HOSTS": "127.0.0.1",
        "SINERGI_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{burst.SERVER_URL}/{burst.DB}",
        "SINERGI_TURNOUT_FAST_PATH": "0" if variant == "locked" else "1",
    }
    cwd = before if variant == "before" else str(ROOT)
    process = subprocess.Popen(burst.server_command(workers), env=env, cwd=cwd, start_new_session=True)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", burst.PORT, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def phase(token: str, pool: Stations, kind: str, checkpoint: str, tag: str, clients: int, seconds: float) -> dict:
    """Closed loop for `seconds`: each client sends its next request when the last one answered."""
    path = "/api/v1/turnout/noop" if kind == "noop" else "/api/v1/turnout/reports"
    size = BATCH if kind == "batch" else 1
    stop = time.perf_counter() + seconds
    lat: list[float] = []
    counts = {"requests": 0, "reports": 0, "errors": 0}
    lock = threading.Lock()

    def worker() -> None:
        client = burst.Client(token)
        while time.perf_counter() < stop:
            stations = pool.any() if kind == "noop" else pool.take(checkpoint, size)
            payload = json.dumps(body(items_for(stations, checkpoint, tag))).encode()
            status, _, took = client.send("POST", path, payload)
            with lock:
                lat.append(took)
                counts["requests"] += 1
                counts["reports"] += size
                counts["errors"] += status not in (200, 201)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {**counts, "rate": counts["requests"] / elapsed, "p50": burst.pct(lat, 0.5), "p99": burst.pct(lat, 0.99)}


def over_http(token, pool, variants, before, workers, clients, seconds, rounds) -> None:
    checkpoints = {"before": "11", "locked": "11", "fast": "13"}
    print(f"server: {' '.join(burst.server_command(workers))}; {clients} client threads, closed loop")
    for variant in variants:
        server = server_start(variant, before, workers)
        try:
            results: dict[str, list[dict]] = {"noop": [], "single": [], "batch": []}
            phase(token, pool, "noop", "09", "warm", clients, 2)
            for _ in range(rounds):
                results["noop"].append(phase(token, pool, "noop", "09", "noop", clients, seconds))
                results["single"].append(phase(token, pool, "single", checkpoints[variant], variant, clients, seconds))
                results["batch"].append(phase(token, pool, "batch", "09", f"{variant}-batch", clients, seconds))
        finally:
            burst.server_kill(server)
        med = {k: {m: statistics.median(r[m] for r in v) for m in ("rate", "p50", "p99")} for k, v in results.items()}
        errors = sum(r["errors"] for v in results.values() for r in v)
        print(f"[{variant}] median of {rounds} rounds of {seconds:.0f} s per kind (errors: {errors}):")
        print(
            f"  no-op   {med['noop']['rate']:7.0f} req/s  p50 {med['noop']['p50']:6.1f} ms  p99 {med['noop']['p99']:6.1f} ms"
        )
        print(
            f"  single  {med['single']['rate']:7.0f} req/s  p50 {med['single']['p50']:6.1f} ms  "
            f"p99 {med['single']['p99']:6.1f} ms  ratio to no-op {med['single']['rate'] / med['noop']['rate']:.2f}"
        )
        print(
            f"  batch   {med['batch']['rate'] * BATCH:7.0f} reports/s ({med['batch']['rate']:.1f} req/s of {BATCH})  "
            f"p50 {med['batch']['p50']:6.1f} ms  p99 {med['batch']['p99']:6.1f} ms"
        )


def totals_exact(tags: list[str]) -> None:
    """Every slot a run touched holds its report's voters and one version; no client id twice."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE s.voters = r.voters AND s.versions = 1 AND s.current_id = r.id) "
            "FROM turnout_report r JOIN turnout_slot s ON s.id = r.slot_id WHERE split_part(r.client_id, ':', 1) = ANY(%s)",
            [tags],
        )
        reports, exact = cursor.fetchone()
    print(
        f"totals: {reports:,} reports stored, {exact:,} slots hold exactly their one report -> "
        f"{'EXACT' if reports == exact else 'WRONG'}"
    )


def reuse() -> tuple[list[tuple[str, int]], str]:
    """The data set a `--keep` run left behind: its TPS not yet reported, and a fresh token."""
    os.environ.update(
        DATABASE_URL=f"{burst.SERVER_URL}/{burst.DB}", SINERGI_DEMO="1", DJANGO_SETTINGS_MODULE="sinergi.settings"
    )
    import django

    django.setup()
    from sinergi.accounts.models import User
    from sinergi.accounts.tokens import token_create
    from sinergi.turnout.models import Slot

    unreported = Slot.objects.filter(versions=0).values_list("tps_id", "dpt")
    counts: dict[tuple[str, int], int] = {}
    for row in unreported:
        counts[row] = counts.get(row, 0) + 1
    stations = sorted(row for row, n in counts.items() if n == 4)  # no checkpoint reported yet
    return stations, token_create(user=User.objects.get(username="kpu.ri"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tps", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=200)
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--before", help="a source tree of the code to compare (git archive <commit>)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--profile", action="store_true", help="cProfile the no-op and the fast path")
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="run on the database a --keep run left")
    args = parser.parse_args()
    started = time.perf_counter()
    stations, token = reuse() if args.reuse else burst.build(args.tps)
    print(f"built {len(stations):,} TPS in {time.perf_counter() - started:.0f} s")
    pool = Stations(stations)
    try:
        from django.conf import settings

        settings.DEBUG = False  # the builder runs with SINERGI_DEMO=1; production does not debug
        in_process(token, pool, args.rounds, args.per_round, args.profile)
        tags = ["fast", "locked", "batch"]
        if args.http:
            variants = (["before"] if args.before else []) + ["locked", "fast"]
            over_http(token, pool, variants, args.before, args.workers, args.clients, args.seconds, args.rounds)
            tags += [*variants, *(f"{v}-batch" for v in variants)]
        totals_exact(tags)
    finally:
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            burst.sql_admin(f"DROP DATABASE IF EXISTS {burst.DB}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
