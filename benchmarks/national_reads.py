"""Voting-day reads at national scale, with every module's data loaded, while a single-report burst runs.

Issue 17's benchmark: on PostgreSQL, in a database of its own (default `sinergi_bench_national`):

1. Load (benchmarks/national_load.py; the slow part, 8-12 min on 2 shared cores): the real
   Kemendagri 2025 tree (38 provinces, 514 kabupaten/kota, 7,285 kecamatan, 83,762 desa), 818,090 TPS,
   a national election with 3,272,360 slots (4 checkpoints), 380,000 single reports at checkpoint 13
   spread over the country; risk (an open national round, one checklist per TPS, the app's recompute
   writes `risk.AreaRollup` for every area), deployment (an approved plan per kabupaten/kota, a post per
   kecamatan), grants (per kabupaten/kota its Pilkada 2024 with KPU and Bawaslu agreements, through
   the services), incidents (20,000 reports today plus the app's tally rebuild), meetings (a rakor per
   province and kabupaten/kota, decisions and follow-up actions), reach (a PKD per desa on the field
   roster, most activated, half tested); then the apps' rebuilds (`areas.rollup.recompute`, risk,
   incident tallies, and `turnout.tally.rebuild` when it exists). Users: `bench.admin` (national
   administrator), `bench.pimpinan.64` (leader of Kalimantan Timur), `bench.sekda.kukar` (leader of
   Kutai Kartanegara, 64.02), `bench.kpu` (national KPU operator: the burst's tokens).
2. Start the app as production does: the gunicorn command is the ExecStart of
   deploy/systemd/sinergi-app@.service with deploy/sinergi.env.example's processes and threads (read
   through scripts/topology.py, so a changed unit is what is measured), two instances (the two
   `sinergi-app@` ports nginx balances; the clients take turns), straight to PostgreSQL (no
   PgBouncer, no nginx), the shared cache on Redis (`--cache-url`, flushed first; "" for per-process
   caches). `sinergi worker` runs too when turnout/jobs.py has a PULSES hook (`--worker auto`).
3. While single reports arrive open-loop at `--rate` (140/s: 70 % of the 200/s the production stack
   held in the go-live benchmark; one new checkpoint-13 TPS per report, each from its own loopback
   address, client ids, through benchmarks/open_loop.py's helpers, in a child process), measure each
   path closed-loop with 1 and then 20 keep-alive clients for `--seconds` each: `/healthz` (the
   baseline, same run), the room page and API for ID / 64 / 64.02 (as the admin / the province's
   leader / Kukar's Sekda), the public situation and turnout pages and `/api/v1/turnout/areas/<code>`
   at the three levels. Query counts come from this process (Django's test client with
   CaptureQueriesContext on the same database and cache): the first request and the next.
4. Print a markdown table (p50/p99 at c=1, p50 as a multiple of /healthz p50, p50/p99 at c=20, errors,
   queries), the burst's own figures, the exact commands and the machine's load.

    python benchmarks/national_reads.py                 # load, measure, drop the database
    python benchmarks/national_reads.py --keep          # ... and keep it for the next run
    python benchmarks/national_reads.py --reuse         # load only if the database is missing; keep it
    python benchmarks/national_reads.py --skip-load     # the database must exist; measure only
    python benchmarks/national_reads.py --load-only --keep
    options: --seconds 5 --rate 140 --clients 20 --db NAME --tps 818090 --reports 380000
             --incidents 20000 --cache-url redis://127.0.0.1:6379/7 --worker auto|on|off --ports 18601,18602
             --code DIR   the app code to load and serve, e.g. a commit's export for "before" numbers:
                          git archive eb487fb | tar -x -C /tmp/sinergi-before-eb487fb

Each measuring run reports rate x its duration new checkpoint-13 TPS (about 40,000 at the defaults);
438,090 are unreported after loading, so a loaded database serves about ten runs. Numbers are noisy on
a shared machine: the ratios to /healthz in the same run are what count. At 140/s a 2-core machine shared
with other work does not hold the burst (the burst's statuses say so); `--rate 20` is what it held.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

import national_load as data  # noqa: E402
from open_loop import http as async_request  # noqa: E402
from open_loop import phone_address, report_body  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
SECRET = "benchmark-only-secret-key-national-reads-0123456789"
VENV_BIN = Path(sys.executable).parent
LEVELS = ("ID", data.PROVINCE, data.REGENCY)
CODE = ROOT  # the app code measured (--code): the working tree, or an export of a commit


def topology():
    """scripts/topology.py of the measured code, so its deploy/ files are the ones read."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("topology", CODE / "scripts" / "topology.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- environment, database -----------------------------------------------------------------------


def app_env(db: str, cache_url: str, var_dir: str) -> dict[str, str]:
    """The production environment file's values, pointed at this database, cache and loopback."""
    env = topology().read_env()
    env.update(
        DATABASE_URL=f"{PG}/{db}",
        SINERGI_PGBOUNCER="",
        SINERGI_SECRET_KEY=SECRET,
        SINERGI_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SINERGI_CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
        SINERGI_VAR_DIR=var_dir,
        SINERGI_SSL_REDIRECT="0",
        SINERGI_CACHE_URL=cache_url,
        SINERGI_DEMO="",
    )
    return env


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def database_exists(db: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone() is not None


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinergi.settings"
    import django

    django.setup()


def load(args: argparse.Namespace) -> float:
    from django.core.management import call_command
    from django.db import connections

    started = time.perf_counter()
    connections.close_all()
    admin_sql(f"DROP DATABASE IF EXISTS {args.db}")
    admin_sql(f"CREATE DATABASE {args.db}")
    print(f"loading {args.db}:", flush=True)
    call_command("migrate", verbosity=0)
    print(f"  migrate: {time.perf_counter() - started:.1f} s", flush=True)
    data.load_all(
        n_tps=args.tps, n_reports=args.reports, n_incidents=args.incidents, grant_regions=args.grant_regions or None
    )
    seconds = time.perf_counter() - started
    print(f"loaded in {seconds:.0f} s", flush=True)
    return seconds


def refresh_reused() -> None:
    """A reused database under newer code: its migrations, then the stored roll-ups it may add."""
    from django.core.management import call_command

    timings: dict[str, float] = {}
    data.step("migrate", timings)(lambda: call_command("migrate", verbosity=0) or "")
    data.step("turnout stored roll-ups", timings)(data.turnout_rollups_rebuild)


def sizes() -> dict[str, int]:
    """What is in the database now (the measured state)."""
    tables = {
        "areas": "SELECT count(*) FROM areas_area",
        "TPS": "SELECT count(*) FROM areas_pollingstation",
        "slots": "SELECT count(*) FROM turnout_slot",
        "reports at checkpoint 13": (
            "SELECT count(*) FROM turnout_slot s JOIN turnout_checkpoint c ON c.id = s.checkpoint_id "
            "WHERE c.code = '13' AND s.versions > 0"
        ),
        "risk roll-up rows": "SELECT count(*) FROM risk_arearollup",
        "deployment posts": "SELECT count(*) FROM deployment_planpost",
        "grant agreements": "SELECT count(*) FROM grants_agreement",
        "incident reports": "SELECT count(*) FROM incidents_report",
        "meeting actions": "SELECT count(*) FROM meetings_actionitem",
        "field staff": "SELECT count(*) FROM people_person",
    }
    return {name: int(data.scalar(sql) or 0) for name, sql in tables.items()}


# --- credentials ---------------------------------------------------------------------------------


def credentials() -> dict[str, dict[str, str]]:
    """A session cookie and an API token per reader (created now: sessions and tokens expire)."""
    from django.conf import settings
    from django.test import Client

    from sinergi.accounts.models import User
    from sinergi.accounts.tokens import token_create

    found = {}
    for key, username in (("admin", data.ADMIN), *((code, name) for code, name in data.LEADERS.items())):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        found[key] = {
            "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
            "token": token_create(user=user, name="bench-national"),
        }
    return found


def targets(creds: dict[str, dict[str, str]]) -> list[tuple[str, str, dict[str, str], str]]:
    """(label, path, headers, reader) of every measured request, /healthz first."""
    reader = {"ID": "admin", data.PROVINCE: data.PROVINCE, data.REGENCY: data.REGENCY}
    rows = [("/healthz", "/healthz", {}, "")]
    for code in LEVELS:
        who = reader[code]
        rows.append((f"room page {code}", f"/situasi/{code}/", {"Cookie": creds[who]["cookie"]}, who))
    for code in LEVELS:
        who = reader[code]
        auth = {"Authorization": f"Bearer {creds[who]['token']}"}
        rows.append((f"room API {code}", f"/api/v1/situation/areas/{code}", auth, who))
    for code in LEVELS:
        rows.append((f"public situation {code}", f"/situasi/publik/{code}/", {}, ""))
    for code in LEVELS:
        rows.append((f"public turnout {code}", f"/partisipasi/publik/{code}/", {}, ""))
    for code in LEVELS:
        auth = {"Authorization": f"Bearer {creds['admin']['token']}"}
        rows.append((f"turnout API {code}", f"/api/v1/turnout/areas/{code}", auth, "admin"))
    return rows


# --- servers -------------------------------------------------------------------------------------


def worker_needed() -> bool:
    """Whether turnout's stored roll-ups are kept by the worker's pulses (turnout/jobs.py PULSES)."""
    source = CODE / "sinergi" / "turnout" / "jobs.py"
    return source.exists() and "PULSES" in source.read_text()


class Servers:
    """The app instances (and the worker when needed), as the systemd units start them."""

    def __init__(self, env: dict[str, str], ports: list[int], worker: bool, logdir: Path) -> None:
        self.env = {**os.environ, **env, "PYTHONPATH": str(CODE)}
        self.ports = ports
        self.logdir = logdir
        topo = topology()
        self.commands = [topo.exec_start(topo.APP_UNIT, env, str(p), venv_bin=str(VENV_BIN)) for p in ports]
        if worker:
            self.commands.append(topo.exec_start(topo.WORKER_UNIT, env, "1", venv_bin=str(VENV_BIN), hostname="bench"))
        self.procs: list[subprocess.Popen] = []

    def start(self) -> None:
        for port in self.ports:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                raise RuntimeError(f"127.0.0.1:{port} is in use: stop what listens there or pass --ports")
        for i, argv in enumerate(self.commands):
            log = open(self.logdir / f"proc-{i}.log", "w")  # noqa: SIM115  # closed with the process
            self.procs.append(
                subprocess.Popen(argv, env=self.env, cwd=CODE, stdout=log, stderr=log, start_new_session=True)
            )
        for port in self.ports:
            wait_http(port, "/healthz")

    def stop(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()


def wait_http(port: int, path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"127.0.0.1:{port}{path} did not answer 200")


# --- the burst (a child process, so its event loop does not share this one's GIL) -----------------


def unreported(n: int) -> list[str]:
    """`n` TPS whose checkpoint-13 slot has no report yet, spread over the country."""
    rows = data._rows(
        "SELECT s.tps_code FROM turnout_slot s JOIN turnout_checkpoint c ON c.id = s.checkpoint_id "
        "JOIN areas_election e ON e.id = c.election_id WHERE e.slug = %s AND c.code = %s AND s.versions = 0 "
        "ORDER BY md5(s.tps_code || 'burst') LIMIT %s",
        [data.ELECTION, data.REPORT_CHECKPOINT, n],
    )
    if len(rows) < n:
        print(f"  note: only {len(rows):,} unreported checkpoint-13 TPS left (wanted {n:,}); reload for more")
    return [code for (code,) in rows]


def burst_child(args: argparse.Namespace) -> None:
    spec = json.loads(Path(args.burst_child).read_text())
    summary = asyncio.run(burst_loop(spec))
    Path(spec["out"]).write_text(json.dumps(summary))


async def burst_loop(spec: dict) -> dict:
    """Single reports at spec['rate'] per second, open loop, until the stop file appears."""
    loop = asyncio.get_running_loop()
    ports, tokens, codes, rate = spec["ports"], spec["tokens"], spec["codes"], spec["rate"]
    stop = Path(spec["stop"])
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    pending: set[asyncio.Task] = set()
    start = loop.time() + 0.05

    async def phone(i: int) -> None:
        code = codes[i]
        body = report_body(data.ELECTION, code, data.REPORT_CHECKPOINT, f"nb:{code}:{data.REPORT_CHECKPOINT}")
        headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}", "Content-Type": "application/json"}
        try:
            answer = await async_request(
                "127.0.0.1",
                ports[i % len(ports)],
                "POST",
                "/api/v1/turnout/reports",
                body=body,
                headers=headers,
                source=phone_address(i),
            )
            status = answer.status
        except (TimeoutError, OSError, ConnectionError, ValueError):
            status = 0
        latencies.append(loop.time() - start - i / rate)
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    i = 0
    while i < len(codes) and not (i % 10 == 0 and stop.exists()):
        delay = start + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(phone(i))
        pending.add(task)
        task.add_done_callback(pending.discard)
        i += 1
    sent_for = loop.time() - start
    await asyncio.gather(*pending)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0  # noqa: E731
    return {
        "sent": i,
        "codes": len(codes),
        "seconds": sent_for,
        "p50": pick(0.5),
        "p99": pick(0.99),
        "max": pick(1.0),
        "statuses": statuses,
    }


class Burst:
    def __init__(self, workdir: Path, ports: list[int], tokens: list[str], codes: list[str], rate: float) -> None:
        self.stop_file = workdir / "burst.stop"
        self.out = workdir / "burst.json"
        spec = workdir / "burst-spec.json"
        spec.write_text(
            json.dumps(
                {
                    "ports": ports,
                    "tokens": tokens,
                    "codes": codes,
                    "rate": rate,
                    "stop": str(self.stop_file),
                    "out": str(self.out),
                }
            )
        )
        self.argv = [sys.executable, str(Path(__file__).resolve()), "--burst-child", str(spec)]
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, cwd=ROOT)
        time.sleep(3)  # let the arrival rate settle before the first measurement

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> dict:
        self.stop_file.touch()
        assert self.proc is not None
        self.proc.wait(timeout=120)
        return json.loads(self.out.read_text()) if self.out.exists() else {}


# --- closed-loop readers -------------------------------------------------------------------------


def closed_loop(
    path: str, headers: dict[str, str], ports: list[int], clients: int, seconds: float, least: int = 5
) -> dict:
    """`clients` keep-alive threads, each sending its next GET when the last came back, for `seconds`
    (and until at least `least` answers per client or 3 x seconds)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    started = time.perf_counter()
    deadline, hard = started + seconds, started + 3 * seconds

    def reader(k: int) -> None:
        conn: http.client.HTTPConnection | None = None
        done = 0
        while True:
            now = time.perf_counter()
            if (now > hard and done) or (now > deadline and done >= least):
                break
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", ports[k % len(ports)], timeout=60)
                t0 = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                seconds_taken, status = time.perf_counter() - t0, response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn, status, seconds_taken = None, 0, 0.0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(seconds_taken)
            done += 1
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"lat": latencies, "statuses": statuses, "elapsed": time.perf_counter() - started}


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


# --- query counts (in this process) --------------------------------------------------------------


def query_counts(rows, creds) -> dict[str, tuple[int, int]]:
    """Queries of the first request from this process and of the next one, per measured path."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sinergi.accounts.models import User

    users = {"admin": data.ADMIN, **data.LEADERS}
    clients: dict[str, Client] = {"": Client()}
    for key, username in users.items():
        clients[key] = Client()
        clients[key].force_login(User.objects.get(username=username))
    counts = {}
    for label, path, headers, who in rows:
        client = clients["" if "Authorization" in headers else who]
        extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if "Authorization" in headers else {}
        found = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, **extra)
            found.append(len(captured) if response.status_code == 200 else -response.status_code)
        counts[label] = (found[0], found[1])
    return counts


# --- the run -------------------------------------------------------------------------------------


def machine_notes() -> str:
    load = os.getloadavg()
    pg = data.scalar("SHOW server_version")
    return (
        f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min), "
        f"Python {platform.python_version()}, PostgreSQL {pg}, {platform.platform()}"
    )


def git_head() -> str:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True)
        head = out.stdout.strip()[:100]
        if CODE == ROOT:
            dirty = subprocess.run(["git", "status", "--short", "sinergi", "deploy"], cwd=ROOT, capture_output=True)
            return head + (" + uncommitted changes in the working tree" if dirty.stdout.strip() else "")
        return f"{CODE} (an export; the working tree's HEAD is {head})"
    except OSError:
        return "?"


def flush_cache(url: str) -> None:
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()


def measure(args: argparse.Namespace, env: dict[str, str], workdir: Path) -> None:
    from django.core.management import call_command
    from django.db import connections

    from sinergi.accounts.models import User
    from sinergi.accounts.tokens import token_create

    ports = [int(p) for p in args.ports.split(",")]
    creds = credentials()
    rows = targets(creds)
    operator = User.objects.get(username=data.OPERATOR)
    tokens = [token_create(user=operator, name=f"bench-burst-{i}") for i in range(8)]
    # Enough new TPS for the longest run (every measurement may stretch to 3 x seconds, a slow
    # request to 60 s): the burst must not run dry while reads are measured.
    expected = int(args.rate * (len(rows) * 2 * 3 * args.seconds + 300))
    codes = unreported(expected)
    worker = args.worker == "on" or (args.worker == "auto" and worker_needed())
    before = sizes()
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest production serves from
    connections.close_all()
    flush_cache(args.cache_url)
    servers = Servers(env, ports, worker, workdir)
    print("servers:")
    for argv in servers.commands:
        print("  " + " ".join(argv))
    notes_before = machine_notes()
    started = time.perf_counter()
    results: dict[str, dict[int, dict]] = {}
    burst: Burst | None = None
    burst_summary: dict = {}
    try:
        servers.start()
        for _label, path, headers, _ in rows:  # warm: each page once (per-process caches, templates)
            closed_loop(path, headers, ports, len(ports), 0, least=1)
        burst = Burst(workdir, ports, tokens, codes, args.rate)
        burst.start()
        for clients in (1, args.clients):
            for label, path, headers, _ in rows:
                results.setdefault(label, {})[clients] = closed_loop(path, headers, ports, clients, args.seconds)
                run = results[label][clients]
                print(
                    f"  c={clients:<3} {label:24s} n={len(run['lat']):5d} p50={pct(run['lat'], 0.5):8.1f} ms "
                    f"p99={pct(run['lat'], 0.99):8.1f} ms statuses={run['statuses']}",
                    flush=True,
                )
        burst_summary = burst.stop()
    finally:
        if burst is not None and burst.running():
            burst.kill()
        servers.stop()
    measured = time.perf_counter() - started
    notes_after = machine_notes()
    flush_cache(args.cache_url)  # "first" is then a cold shared cache, "next" a warm one
    counts = query_counts(rows, creds)
    report(args, rows, results, counts, burst_summary, before, measured, servers, notes_before, notes_after)


def report(args, rows, results, counts, burst, before, measured, servers, notes_before, notes_after) -> None:
    c = args.clients
    health = pct(results["/healthz"][1]["lat"], 0.5)
    print()
    print(
        f"## National reads during a {args.rate:.0f}/s single-report burst ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})"
    )
    print()
    print(
        f"| path | c=1 p50 ms | c=1 p99 ms | c=1 p50 × /healthz | c={c} p50 ms | c={c} p99 ms | errors | queries (first/next) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, path, _, who in rows:
        one, many = results[label][1], results[label][c]
        errors = sum(n for s, n in {**one["statuses"]}.items() if s != 200) + sum(
            n for s, n in many["statuses"].items() if s != 200
        )
        first, again = counts[label]
        shown = f"`{path}`" + (f" ({who})" if who else "")
        print(
            f"| {shown} | {pct(one['lat'], 0.5):.1f} | {pct(one['lat'], 0.99):.1f} | "
            f"{pct(one['lat'], 0.5) / health:.1f} | {pct(many['lat'], 0.5):.1f} | {pct(many['lat'], 0.99):.1f} | "
            f"{errors} | {first}/{again} |"
        )
    print()
    if burst and burst["sent"] >= burst.get("codes", burst["sent"] + 1):
        print(
            "WARNING: the burst ran out of unreported TPS before the reads were measured: the last reads ran without it"
        )
    if burst:
        print(
            f"Burst: {burst['sent']:,} single reports in {burst['seconds']:.0f} s "
            f"({burst['sent'] / max(burst['seconds'], 1e-9):.0f}/s, target {args.rate:.0f}/s), "
            f"p50 {burst['p50']:.0f} ms, p99 {burst['p99']:.0f} ms, max {burst['max']:.0f} ms, statuses {burst['statuses']}"
        )
    print("Loaded: " + ", ".join(f"{name} {n:,}" for name, n in before.items()))
    print(f"Measuring took {measured:.0f} s (servers up to servers down).")
    print()
    print("Command: " + " ".join([".venv/bin/python", "benchmarks/national_reads.py", *sys.argv[1:]]))
    for argv in servers.commands:
        print("Server: " + " ".join(argv))
    print(f"Code: {git_head()}")
    print(f"Machine before: {notes_before}")
    print(f"Machine after: {notes_after}")
    print(f"Cache: {args.cache_url or 'per process (SINERGI_CACHE_URL empty)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sinergi_bench_national")
    parser.add_argument("--tps", type=int, default=818_090)
    parser.add_argument("--reports", type=int, default=380_000)
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--grant-regions", type=int, default=0, help="0: every kabupaten/kota")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rate", type=float, default=140)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--ports", default="18601,18602")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--worker", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="load only if the database is missing; keep it")
    parser.add_argument("--skip-load", action="store_true", help="the database must exist; keep it")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--code", default=str(ROOT), help="the app code to load and serve (e.g. a git archive export)")
    parser.add_argument("--burst-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.burst_child:
        burst_child(args)
        return
    global CODE
    CODE = Path(args.code).resolve()
    sys.path.insert(0, str(CODE))
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-national-"))
    env = app_env(args.db, args.cache_url, str(workdir))
    exists = database_exists(args.db)
    if args.skip_load and not exists:
        raise SystemExit(f"--skip-load: database {args.db} does not exist")
    django_setup(env)
    load_seconds = 0.0
    if not (args.skip_load or (args.reuse and exists)):
        load_seconds = load(args)
    else:
        print(f"reusing {args.db} (no load)")
        refresh_reused()
    try:
        if not args.load_only:
            measure(args, env, workdir)
    finally:
        if not (args.keep or args.reuse or args.skip_load or args.load_only):
            from django.db import connections

            connections.close_all()
            admin_sql(f"DROP DATABASE IF EXISTS {args.db}")
            print(f"dropped {args.db}")
    if load_seconds:
        print(f"Loading took {load_seconds:.0f} s.")


if __name__ == "__main__":
    main()
