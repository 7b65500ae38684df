"""The production topology of deploy/, rehearsed on loopback: see scripts/rehearse.sh (which installs
nginx and PgBouncer when missing and starts PostgreSQL) and docs/deploy.md.

    nginx :18080 -> gunicorn app instances :18001, :18002 -> PgBouncer :16432 (transaction) -> PostgreSQL :5432
                    two workers (`sinergi worker`)

Every process is started from the files in deploy/ (scripts/topology.py renders them into a temp
dir; there is no systemd here, so the driver plays its part: it starts the units' ExecStart lines
with the environment file and restarts a killed app instance after the unit's RestartSec). Then:

  1. throttles: the public incident form's per-address limit hits one simulated address, not all,
     and a forged X-Forwarded-For does not get round it;
  2. open-loop steps, no-op vs single reports, interleaved: the highest rate with p99 < 1 s for each;
  3. the voting-day burst at a fixed rate with the situation room and the area API read meanwhile;
     one app instance and one worker are killed (SIGKILL) a third of the way in; phones retry with
     the same client id; totals exact, no duplicate, scheduled jobs still firing;
  4. /readyz reports the dead worker (its heartbeat goes stale), then no worker at all (503), and
     is ready again once both are restarted;
  5. the backup and restore drill, while no worker writes: pg_dump, pg_restore into a new database,
     an app instance on it answers the situation room and turnout APIs with the identical JSON.

Exits non-zero when any check fails; prints a summary. Database: `sinergi_rehearsal` (dropped and
created), restore into `sinergi_rehearsal_restore`; both are dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "benchmarks")]

import open_loop as ol  # noqa: E402
import topology  # noqa: E402

VENV_BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432"
DB, RESTORE_DB = "sinergi_rehearsal", "sinergi_rehearsal_restore"
NGINX_PORT, PGBOUNCER_PORT, RESTORE_APP_PORT = 18080, 16432, 18003
PGBOUNCER_PASSWORD = "rehearsal-" + secrets.token_hex(6)
ELECTION = "gladi-nasional"
KUKAR, KUKAR_ELECTION = "64.02", "pilbup-kukar-2024"
THROTTLE_A, THROTTLE_B = "127.0.251.10", "127.0.251.11"  # outside ol.phone_address's range


class SkipRest(Exception):
    """--measure-only: the run ends after the burst."""


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


@dataclass
class Checks:
    results: list[tuple[str, bool, str]] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    def check(self, name: str, passed: bool, detail: str = "") -> bool:
        self.results.append((name, bool(passed), detail))
        log(f"{'PASS' if passed else 'FAIL'} {name}{': ' + detail if detail else ''}")
        return bool(passed)

    def figure(self, text: str) -> None:
        self.figures.append(text)
        log(text)

    @property
    def failed(self) -> list[str]:
        return [name for name, passed, _ in self.results if not passed]


# --- processes -----------------------------------------------------------------------------------


class Proc:
    """A long-running process in its own process group (a systemd unit's cgroup, roughly)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path, logdir: Path) -> None:
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.logfile = logdir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.logfile.open("ab")
        self.popen = subprocess.Popen(
            self.argv, env=self.env, cwd=self.cwd, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait()

    def stop(self, timeout: float = 20) -> None:
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            assert self.popen is not None
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def wait_http(port: int, path: str, *, timeout: float = 60, want: int | None = 200) -> float:
    """Seconds until GET path on 127.0.0.1:port answers (with `want`, when given)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            answer = asyncio.run(ol.http("127.0.0.1", port, "GET", path, timeout=5))
            if want is None or answer.status == want:
                return time.monotonic() - started
        except (OSError, TimeoutError, ConnectionError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"127.0.0.1:{port}{path} did not answer {want} within {timeout:.0f} s")


def run(argv: list[str], env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result


def database_exists(name: str) -> bool:
    found = run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ]
    )
    return found.stdout.strip() == "1"


def admin_sql(statement: str) -> None:
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", statement])


# --- the topology --------------------------------------------------------------------------------


class Topology:
    def __init__(self, workdir: Path, app_ports: dict[int, int]) -> None:
        self.workdir, self.app_ports = workdir, app_ports  # production port -> rehearsal port
        os.chmod(workdir, 0o755)  # PgBouncer (postgres) and nginx's workers read their files in here
        self.logs = workdir / "logs"
        self.logs.mkdir()
        self.var = workdir / "var"
        self.var.mkdir()
        self.env = self._env()
        # The processes run a copy of the package taken now, so an edit to the tree during the
        # rehearsal (a new migration, say) cannot reach only the instance that happens to restart.
        self.code = workdir / "code"
        shutil.copytree(ROOT / "sinergi", self.code / "sinergi", ignore=shutil.ignore_patterns("__pycache__"))
        self.apps: dict[int, Proc] = {}
        self.workers: dict[str, Proc] = {}
        self.nginx: Proc | None = None
        self.pgbouncer: Proc | None = None

    def _env(self) -> dict[str, str]:
        env = topology.read_env()
        env.update(
            DATABASE_URL=f"postgres://postgres:{PGBOUNCER_PASSWORD}@127.0.0.1:{PGBOUNCER_PORT}/{DB}",
            SINERGI_SECRET_KEY=secrets.token_urlsafe(50),
            SINERGI_ALLOWED_HOSTS="127.0.0.1,localhost",
            SINERGI_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{NGINX_PORT}",
            SINERGI_VAR_DIR=str(self.var),
            # No TLS on loopback: the rehearsal's nginx listens in plain HTTP (topology.render_nginx_site).
            SINERGI_SSL_REDIRECT="0",
            SINERGI_HSTS_SECONDS="0",
            # The rehearsal runs no Redis yet: each process keeps its own bounded cache (docs/deploy.md, "The cache").
            SINERGI_CACHE_URL="",
        )
        return env

    def process_env(self, **overrides: str) -> dict[str, str]:
        """What systemd gives a unit: a bare environment plus the EnvironmentFile."""
        base = {
            "PATH": f"{VENV_BIN}:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(self.code),
        }
        return {**base, **self.env, **overrides}

    def sinergi(self, *args: str, **overrides: str) -> subprocess.CompletedProcess:
        return run([str(VENV_BIN / "sinergi"), *args], env=self.process_env(**overrides), cwd=self.var)

    # PgBouncer runs as postgres (it refuses root), like Debian's unit.
    def start_pgbouncer(self) -> None:
        home = self.workdir / "pgbouncer"
        home.mkdir()
        auth = home / "userlist.txt"
        auth.write_text(f'"postgres" "{PGBOUNCER_PASSWORD}"\n')
        auth.chmod(0o600)
        ini = home / "pgbouncer.ini"
        ini.write_text(
            topology.render_pgbouncer(
                topology.PGBOUNCER_INI.read_text(),
                port=PGBOUNCER_PORT,
                databases={DB: DB, RESTORE_DB: RESTORE_DB},
                auth_file=auth,
                workdir=home,
            )
        )
        argv = ["/usr/sbin/pgbouncer", str(ini)]
        if os.geteuid() == 0:
            shutil.chown(home, "postgres")
            for path in home.iterdir():
                shutil.chown(path, "postgres")
            argv = ["runuser", "-u", "postgres", "--", *argv]
        self.pgbouncer = Proc("pgbouncer", argv, self.process_env(), home, self.logs)
        self.pgbouncer.start()
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", PGBOUNCER_PORT)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"PgBouncer did not listen; see {self.logs / 'pgbouncer.log'}")

    def app(self, port: int, **overrides: str) -> Proc:
        argv = topology.exec_start(topology.APP_UNIT, {**self.env, **overrides}, str(port), venv_bin=str(VENV_BIN))
        return Proc(f"app-{port}", argv, self.process_env(**overrides), self.var, self.logs)

    def start_apps(self) -> None:
        for port in self.app_ports.values():
            self.apps[port] = self.app(port)
            self.apps[port].start()
        for port in self.app_ports.values():
            wait_http(port, "/healthz")

    def worker(self, instance: str) -> Proc:
        argv = topology.exec_start(
            topology.WORKER_UNIT, self.env, instance, venv_bin=str(VENV_BIN), hostname=socket.gethostname()
        )
        return Proc(f"worker-{instance}", argv, self.process_env(), self.var, self.logs)

    def start_workers(self, instances: tuple[str, ...] = ("1", "2")) -> None:
        for instance in instances:
            self.workers[instance] = self.worker(instance)
            self.workers[instance].start()

    def start_nginx(self) -> None:
        home = self.workdir / "nginx"
        (home / "tmp").mkdir(parents=True)
        for path in (home, home / "tmp"):
            os.chmod(path, 0o777)
        site = home / "sinergi.conf"
        site.write_text(
            topology.render_nginx_site(
                topology.NGINX_SITE.read_text(),
                listen=f"127.0.0.1:{NGINX_PORT}",
                ports=self.app_ports,
                cache_dir=home / "proxy-cache",
            )
        )
        main = home / "nginx.conf"
        main.write_text(topology.render_nginx_main(site, home))
        run(["/usr/sbin/nginx", "-t", "-c", str(main)])
        self.nginx = Proc("nginx", ["/usr/sbin/nginx", "-c", str(main)], self.process_env(), home, self.logs)
        self.nginx.start()
        wait_http(NGINX_PORT, "/healthz")

    def stop(self) -> None:
        procs = [self.nginx, *self.apps.values(), *self.workers.values(), self.pgbouncer]
        for proc in procs:
            if proc is not None:
                proc.stop()


# --- data ----------------------------------------------------------------------------------------


def django_direct() -> None:
    """This process reads and checks the database directly (not through the topology)."""
    os.environ.update(
        DATABASE_URL=f"{PG}/{DB}", SINERGI_DEMO="1", DJANGO_SETTINGS_MODULE="sinergi.settings", SINERGI_PGBOUNCER=""
    )
    import django

    django.setup()


def gladi_prepare(n_tps: int, n_tokens: int) -> dict[str, Any]:
    """A national rehearsal election: Kukar's TPS plus one synthetic TPS in each of the first
    `n_tps` villages outside Kukar, its slots, a national KPU operator with `n_tokens` tokens
    (phones take turns), and a token of the demo's national administrator for the room."""
    import datetime as dt

    from django.db import connection

    from sinergi.accounts.models import User
    from sinergi.accounts.roles import AgencyKind, Role
    from sinergi.accounts.services import agency_ensure, membership_grant
    from sinergi.accounts.tokens import token_create
    from sinergi.areas.models import Area, Election, Level
    from sinergi.turnout.setup import election_prepare

    desas = list(
        Area.objects.filter(level=Level.VILLAGE)
        .exclude(code__startswith=f"{KUKAR}.")
        .order_by("code")
        .values_list("code", flat=True)[:n_tps]
    )
    rng = __import__("random").Random(14)
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY areas_pollingstation (code, desa_code, number, dpt_male, dpt_female, dpt_total, is_special, address) "
            "FROM STDIN"
        ) as copy:
            for desa in desas:
                dpt = rng.randint(250, 600)
                copy.write_row((f"{desa}.001", desa, 1, dpt // 2, dpt - dpt // 2, dpt, False, ""))
        cursor.execute("ANALYZE")
    election = Election.objects.create(
        slug=ELECTION,
        name="Gladi nasional (rehearsal)",
        kind="pemilu",
        region_id="ID",
        voting_date=dt.date.today(),
        time_zone="Asia/Jakarta",
    )
    slots = election_prepare(election)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = User.objects.create_user(username="gladi.kpu", password=None)
    agency = agency_ensure(code="kpu-ri", name="KPU RI", kind=AgencyKind.KPU, area_code="ID")
    membership_grant(user=user, agency=agency, role=Role.KPU_OPERATOR, area_code="ID")
    from sinergi.areas.models import PollingStation

    tps = list(PollingStation.objects.within("ID").order_by("code").values_list("code", flat=True))
    return {
        "tps": tps,
        "slots": slots,
        "tokens": [token_create(user=user, name=f"gladi-{i}") for i in range(n_tokens)],
        "admin_token": token_create(user=User.objects.get(username="admin"), name="gladi-room"),
    }


def queue_ready() -> int:
    """Queued tasks not yet claimed by a worker."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()


def drain_queue(checks: Checks, timeout: float) -> None:
    """Wait for the workers to empty the task queue: a fresh database's first tick queues the
    day's catch-up work (a daily report for every kabupaten/kota), which would weigh on the figures."""
    started = time.monotonic()
    waiting = queue_ready()
    while waiting and time.monotonic() - started < timeout:
        log(f"  {waiting} queued tasks left")
        time.sleep(15)
        waiting = queue_ready()
    checks.check(
        "the workers emptied the task queue before the load", waiting == 0, f"in {time.monotonic() - started:.0f} s"
    )


def job_runs() -> tuple[int, int]:
    """(finished job runs, job runs) so far."""
    from sinergi.ops.models import JobRun

    return JobRun.objects.filter(status="done").count(), JobRun.objects.count()


def totals_check(checks: Checks, pairs: list[tuple[str, str]], tag: str) -> None:
    """Every pair sent in the burst stored exactly once, with the phone's number, version 1."""
    from django.db.models import Count, Q, Sum

    from sinergi.turnout.models import Report, Slot

    reports = Report.objects.filter(client_id__startswith=f"{tag}:")
    stored = reports.aggregate(n=Count("id"), ids=Count("client_id", distinct=True))
    by_checkpoint: dict[str, list[str]] = {}
    for tps, checkpoint in pairs:
        by_checkpoint.setdefault(checkpoint, []).append(tps)
    expected_voters = sum(ol.expected_voters(tps) for tps, _ in pairs)
    match = Q()
    for checkpoint, codes in by_checkpoint.items():
        match |= Q(checkpoint__code=checkpoint, tps_id__in=codes)
    slots = Slot.objects.filter(match, checkpoint__election__slug=ELECTION).aggregate(
        n=Count("id"), total=Sum("voters"), reported=Count("voters"), multi=Count("id", filter=Q(versions__gt=1))
    )
    checks.check(
        "totals exact after retries",
        slots["reported"] == len(pairs) and slots["total"] == expected_voters,
        f"{slots['reported']}/{len(pairs)} slots reported, voters {slots['total']} (expected {expected_voters})",
    )
    checks.check(
        "no duplicate report",
        stored["n"] == stored["ids"] == len(pairs) and slots["multi"] == 0,
        f"{stored['n']} report rows, {stored['ids']} client ids, {slots['multi']} slots with more than one version",
    )


# --- checks --------------------------------------------------------------------------------------


def throttle_check(checks: Checks) -> None:
    """The public form's per-address limit (5 an hour) through nginx: address A is refused its 6th
    report, address B is not, and A forging X-Forwarded-For is still A."""
    from sinergi.areas.models import Area, Level
    from sinergi.incidents.throttle import limit

    desa = Area.objects.filter(level=Level.VILLAGE, code__startswith=f"{KUKAR}.").order_by("code").first()
    assert desa is not None
    allowed = limit()

    async def submit(source: str, n: int, extra: dict[str, str] | None = None) -> int:
        page = await ol.http("127.0.0.1", NGINX_PORT, "GET", "/laporan/publik/", source=source)
        html = page.body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        choices = {
            name: [value for value in re.findall(r'<option value="([^"]*)"', options) if value]
            for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, re.S)
        }
        if not (token and choices.get("category") and choices.get("severity")):
            raise RuntimeError(f"the public form did not render as expected ({page.status})")

        form = {
            "csrfmiddlewaretoken": token.group(1),
            "category": choices["category"][0],
            "area_code": desa.code,
            "occurred_at": time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() - 3600)),
            "severity": choices["severity"][0],
            "description": f"Gladi: uji batas laporan publik per alamat ({source}, #{n}).",
            "reporter_contact": "081234567890",
            "client_id": f"gladi-public-{source}-{n}-{secrets.token_hex(4)}",
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={page.cookie('csrftoken')}",
            **(extra or {}),
        }
        answer = await ol.http(
            "127.0.0.1",
            NGINX_PORT,
            "POST",
            "/laporan/publik/",
            body=urlencode(form).encode(),
            headers=headers,
            source=source,
        )
        return answer.status

    async def scenario() -> tuple[list[int], int, int, int]:
        first = [await submit(THROTTLE_A, i) for i in range(allowed)]
        refused = await submit(THROTTLE_A, allowed)
        forged = await submit(THROTTLE_A, allowed + 1, {"X-Forwarded-For": "10.1.2.3", "X-Real-IP": "10.1.2.3"})
        return first, refused, forged, await submit(THROTTLE_B, 0)

    first, refused, forged, other = asyncio.run(scenario())
    checks.check(
        "public form throttle keyed on the real client address",
        all(s == 302 for s in first) and refused == 429 and forged == 429 and other == 302,
        f"{THROTTLE_A}: {first} then {refused}; with a forged X-Forwarded-For {forged}; {THROTTLE_B}: {other}",
    )
    from django.db.models import Count

    from sinergi.incidents.models import PublicIntakeHit

    counted = dict(
        PublicIntakeHit.objects.filter(kind="report").values_list("address").annotate(n=Count("id")).order_by()
    )
    checks.check(
        "throttle rows carry the phones' own addresses",
        counted.get(THROTTLE_A) == allowed and counted.get(THROTTLE_B) == 1 and "127.0.0.1" not in counted,
        f"hits per address: {counted}",
    )


def readiness() -> tuple[int, int, str]:
    """(HTTP status of /readyz through nginx, workers it counts as alive, what failed or the worker detail)."""
    answer = asyncio.run(ol.http("127.0.0.1", NGINX_PORT, "GET", "/readyz", timeout=10))
    checks = json.loads(answer.body).get("checks", {})
    detail = str(checks.get("worker", {}).get("detail", ""))
    found = re.match(r"(\d+)", detail)
    failing = [f"{name}: {check.get('detail')}" for name, check in checks.items() if not check.get("ok")]
    return answer.status, int(found.group(1)) if found else 0, "; ".join(failing) or detail


def wait_readiness(predicate, timeout: float) -> tuple[float, tuple[int, int, str]]:
    started = time.monotonic()
    state = readiness()
    while not predicate(state) and time.monotonic() - started < timeout:
        time.sleep(2)
        state = readiness()
    return time.monotonic() - started, state


async def burst(
    checks: Checks, top: Topology, target: ol.Target, room: ol.Target, pairs: list[tuple[str, str]], rate: float
) -> dict[str, Any]:
    """Single reports at a fixed rate from simulated phones (retrying with the same client id), the
    situation room and the area API read meanwhile; an app instance and a worker killed a third of
    the way in, the app instance restarted after the unit's RestartSec."""
    seconds = len(pairs) / rate
    kill_at = seconds / 3
    restart_after = topology.restart_seconds(topology.APP_UNIT)
    victim_port = next(iter(top.app_ports.values()))
    stop = asyncio.Event()
    reads: dict[str, list[float]] = {"room": [], "area": []}
    read_at: dict[str, list[float]] = {"room": [], "area": []}
    readers = [
        asyncio.create_task(ol.poll(room, "/api/v1/situation/areas/ID", stop, reads["room"], at=read_at["room"])),
        asyncio.create_task(
            ol.poll(
                room,
                f"/api/v1/turnout/areas/ID?election={ELECTION}&checkpoint={pairs[0][1]}",
                stop,
                reads["area"],
                at=read_at["area"],
            )
        ),
    ]
    events: dict[str, float] = {}

    async def chaos() -> None:
        await asyncio.sleep(kill_at)
        loop = asyncio.get_running_loop()
        events["kill"] = loop.time()
        top.apps[victim_port].kill()
        top.workers["1"].kill()
        log(f"killed app instance :{victim_port} and worker 1 (SIGKILL) at {kill_at:.0f} s into the burst")
        await asyncio.sleep(restart_after)
        top.apps[victim_port] = top.app(victim_port)
        top.apps[victim_port].start()
        while True:
            try:
                if (await ol.http("127.0.0.1", victim_port, "GET", "/healthz", timeout=2)).status == 200:
                    break
            except (OSError, TimeoutError, ConnectionError):
                pass
            await asyncio.sleep(0.1)
        events["instance_back"] = loop.time() - events["kill"]

    request = ol.reports_request(target, pairs, "burst", "/api/v1/turnout/reports")
    chaos_task = asyncio.create_task(chaos())
    started = asyncio.get_running_loop().time()
    step = await ol.open_loop("burst", rate, seconds, request, retries=20, retry_delay=1.0)
    await chaos_task
    stop.set()
    await asyncio.gather(*readers)
    kill_offset = events["kill"] - started - 0.05
    hit = [s for s in step.samples if s.due + s.latency >= kill_offset and (not ol.ok(s.status) or s.latency >= 1)]
    recovered = max((s.due + s.latency for s in hit), default=kill_offset) - kill_offset
    lost = [s for s in step.samples if not ol.ok(s.final_status)]
    checks.figure(
        f"burst: {rate:.0f} single reports/s for {seconds:.0f} s, n={len(step.samples)}, "
        f"first-attempt p50={step.percentile(0.5) * 1000:.0f} ms p99={step.percentile(0.99) * 1000:.0f} ms, "
        f"first attempts failed {step.errors}, retried phones {sum(1 for s in step.samples if s.attempts > 1)}"
    )
    before = [s for s in step.samples if s.due < kill_offset]
    checks.figure(
        f"burst before the kill: n={len(before)} first-attempt p50={ol.percentile([s.latency for s in before], 0.5) * 1000:.0f} ms "
        f"p99={ol.percentile([s.latency for s in before], 0.99) * 1000:.0f} ms"
    )
    for name, label in (("room", "situation room (national)"), ("area", "GET /api/v1/turnout/areas/ID")):
        pre = [v for v, t in zip(reads[name], read_at[name], strict=True) if t < events["kill"]]
        post = [v for v, t in zip(reads[name], read_at[name], strict=True) if t >= events["kill"]]
        checks.figure(
            f"{label} during the burst, before the kill: {ol.describe(pre)}; from the kill on: {ol.describe(post)}"
        )
    checks.figure(
        f"recovery after the kill: instance back (healthz) {events['instance_back']:.1f} s after the kill "
        f"(RestartSec {restart_after:g} s); requests failing or over 1 s until {recovered:.1f} s after the kill "
        f"({len(hit)} affected)"
    )
    checks.check("every phone's report accepted in the end", not lost, f"{len(lost)} phones gave up")
    return {
        "rate": rate,
        "p50": step.percentile(0.5),
        "p99": step.percentile(0.99),
        "recovered": recovered,
        "instance_back": events["instance_back"],
        "room": reads["room"],
        "area": reads["area"],
    }


def backup_drill(checks: Checks, top: Topology, admin_token: str) -> None:
    """pg_dump the rehearsal database, restore it into a new one, and compare the situation room's
    and the turnout API's JSON from an app instance on each (no worker writes meanwhile)."""
    paths = [
        f"/api/v1/situation/areas/{KUKAR}",
        f"/api/v1/turnout/areas/{KUKAR}?election={KUKAR_ELECTION}&checkpoint=final",
        f"/api/v1/turnout/areas/{KUKAR}/children?election={KUKAR_ELECTION}&checkpoint=final",
        f"/api/v1/turnout/areas/ID?election={ELECTION}&checkpoint=09",
    ]
    headers = {"Authorization": f"Bearer {admin_token}"}

    def snapshot(port: int) -> dict[str, Any]:
        out = {}
        for path in paths:
            answer = asyncio.run(ol.http("127.0.0.1", port, "GET", path, headers=headers, timeout=60))
            out[path] = (answer.status, json.loads(answer.body) if answer.body else None)
        return out

    before = snapshot(NGINX_PORT)
    dump = top.workdir / "sinergi.dump"
    started = time.monotonic()
    run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--format=custom", f"--file={dump}", DB])
    dumped = time.monotonic() - started
    admin_sql(f"DROP DATABASE IF EXISTS {RESTORE_DB}")
    admin_sql(f"CREATE DATABASE {RESTORE_DB}")
    started = time.monotonic()
    run(["pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", f"--dbname={RESTORE_DB}", str(dump)])
    restored = time.monotonic() - started
    url = f"postgres://postgres:{PGBOUNCER_PASSWORD}@127.0.0.1:{PGBOUNCER_PORT}/{RESTORE_DB}"
    app = top.app(RESTORE_APP_PORT, DATABASE_URL=url)
    app.name = "app-restore"
    app.start()
    try:
        wait_http(RESTORE_APP_PORT, "/healthz")
        after = snapshot(RESTORE_APP_PORT)
    finally:
        app.stop()
    again = snapshot(NGINX_PORT)
    checks.figure(
        f"backup drill: pg_dump {dumped:.1f} s ({dump.stat().st_size / 1e6:.1f} MB), pg_restore {restored:.1f} s"
    )
    differ = [p for p in paths if after[p] != before[p] and after[p] != again[p]]
    statuses = {p: after[p][0] for p in paths}
    checks.check(
        "restored database: situation room and turnout figures identical",
        not differ and all(s == 200 for s in statuses.values()),
        f"{len(paths)} API answers compared ({', '.join(f'{p} {s}' for p, s in statuses.items())})"
        + (f"; different: {differ}" if differ else ""),
    )


# --- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tps", type=int, default=40_000, help="synthetic TPS of the rehearsal election")
    parser.add_argument("--tokens", type=int, default=20, help="API tokens the simulated phones share")
    parser.add_argument("--rates", default="25,50,75,100,125,150,175,200,250,300,400,500,600")
    parser.add_argument("--step-seconds", type=float, default=8)
    parser.add_argument("--burst-seconds", type=float, default=45)
    parser.add_argument(
        "--burst-share", type=float, default=0.7, help="burst rate as a share of the single-report limit"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="add to the environment file, e.g. SINERGI_TURNOUT_FAST_PATH=0 to rehearse the locked path",
    )
    parser.add_argument(
        "--measure-only", action="store_true", help="stop after the burst (no /readyz waits, no backup drill)"
    )
    parser.add_argument("--drain-timeout", type=float, default=900, help="seconds to wait for the task queue")
    parser.add_argument("--keep", action="store_true", help="keep the databases and the temp dir")
    parser.add_argument(
        "--template",
        action="store_true",
        help=f"keep the loaded demo as {DB}_template and start from it next time (faster; drop it after a code change)",
    )
    args = parser.parse_args()
    checks = Checks()
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-rehearsal-"))
    log(f"work dir {workdir}")
    ports = {port: 10_000 + port for _, port in topology.upstream_servers(topology.NGINX_SITE.read_text())}
    top = Topology(workdir, ports)
    for item in args.env:
        key, _, value = item.partition("=")
        top.env[key] = value
        log(f"environment file: {key}={value}")
    started = time.monotonic()
    try:
        admin_sql(f"DROP DATABASE IF EXISTS {RESTORE_DB}")
        admin_sql(f"DROP DATABASE IF EXISTS {DB}")
        top.start_pgbouncer()
        template = f"{DB}_template"
        if args.template and database_exists(template):
            log(f"the Kukar demo from {template} (--template), then sinergi migrate through PgBouncer")
            admin_sql(f"CREATE DATABASE {DB} TEMPLATE {template}")
            top.sinergi("migrate", "--noinput")
        else:
            admin_sql(f"CREATE DATABASE {DB}")
            log("sinergi demo --no-serve through PgBouncer (migrations and the Kukar demo in transaction mode)")
            top.sinergi("demo", "--no-serve", SINERGI_DEMO="1")
            if args.template:
                admin_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DB}'")
                admin_sql(f"CREATE DATABASE {template} TEMPLATE {DB}")
        log("collectstatic (manifest storage, as in production)")
        top.sinergi("collectstatic", "--noinput")
        django_direct()
        data = gladi_prepare(args.tps, args.tokens)
        log(f"rehearsal election {ELECTION}: {len(data['tps']):,} TPS, {data['slots']:,} slots")
        where = top.sinergi("shell", "-c", "import sinergi; print(sinergi.__file__)").stdout.strip().splitlines()[-1]
        checks.check("the processes run the copy of the code", where.startswith(str(top.code)), where)
        pending = top.sinergi("migrate", "--check").returncode
        checks.check("migrations applied (sinergi migrate --check through PgBouncer)", pending == 0)
        top.start_apps()
        top.start_workers()
        top.start_nginx()
        log(
            "topology up: "
            + ", ".join(
                f"{p.name} pid {p.popen.pid}"
                for p in [top.nginx, *top.apps.values(), *top.workers.values(), top.pgbouncer]
                if p and p.popen
            )
        )
        waited, state = wait_readiness(lambda s: s[0] == 200 and s[1] == 2, 90)
        checks.check(
            "/readyz ready with both workers", state[0] == 200 and state[1] == 2, f"{state} after {waited:.0f} s"
        )

        throttle_check(checks)

        log("waiting for the workers to empty the task queue (the first tick's catch-up work)")
        drain_queue(checks, args.drain_timeout)

        target = ol.Target(f"http://127.0.0.1:{NGINX_PORT}", data["tokens"], ELECTION)
        room = ol.Target(f"http://127.0.0.1:{NGINX_PORT}", [data["admin_token"]], ELECTION)
        slots = ol.Slots(data["tps"])
        log("warm-up: 5 s at 10/s on each endpoint (every gunicorn process imports and connects once)")
        for path, pairs in (("/api/v1/turnout/noop", slots.peek(50)), ("/api/v1/turnout/reports", slots.take(50))):
            asyncio.run(ol.open_loop("warm", 10, 5, ol.reports_request(target, pairs, "warm", path)))
        log("open-loop steps, no-op and single reports interleaved (p99 < 1 s and errors <= 0.1 % pass)")
        steps = asyncio.run(
            find_limits_logged(target, slots, [float(r) for r in args.rates.split(",")], args.step_seconds)
        )
        noop, single = ol.best_rate(steps["noop"]), ol.best_rate(steps["single"])
        checks.figure(
            f"highest rate with p99 < 1 s: no-op {noop:.0f}/s, single reports {single:.0f}/s, "
            f"ratio {single / noop if noop else float('nan'):.2f}"
        )
        checks.check("the stack holds single reports", single > 0, f"{single:.0f}/s")

        runs_before = job_runs()
        rate = max(20.0, round(args.burst_share * single / 5) * 5)
        pairs = slots.take(int(rate * args.burst_seconds))
        result = asyncio.run(burst(checks, top, target, room, pairs, rate))
        totals_check(checks, pairs, "burst")

        if args.measure_only:
            raise SkipRest
        log("waiting for /readyz to see worker 1's heartbeat go stale (up to 150 s)")
        waited, state = wait_readiness(lambda s: s[1] == 1, 150)
        checks.check(
            "/readyz reports the dead worker", state[1] == 1 and state[0] == 200, f"{state} after {waited:.0f} s"
        )
        runs_after = job_runs()
        checks.check(
            "scheduled jobs still firing with one worker",
            runs_after[0] > runs_before[0],
            f"finished job runs {runs_before[0]} -> {runs_after[0]}",
        )
        top.workers["2"].stop()
        log("worker 2 stopped too: backup drill while nothing writes")
        backup_drill(checks, top, data["admin_token"])
        waited, state = wait_readiness(lambda s: s[0] == 503 and s[1] == 0, 150)
        checks.check(
            "/readyz unavailable without any worker", state[0] == 503 and state[1] == 0, f"{state} after {waited:.0f} s"
        )
        top.start_workers()
        waited, state = wait_readiness(lambda s: s[0] == 200 and s[1] == 2, 90)
        checks.check(
            "/readyz ready again once the workers are restarted",
            state[0] == 200 and state[1] == 2,
            f"{state} after {waited:.0f} s",
        )
        waited_runs = time.monotonic()
        while job_runs()[0] <= runs_after[0] and time.monotonic() - waited_runs < 90:
            time.sleep(3)
        checks.check(
            "restarted workers run the schedule", job_runs()[0] > runs_after[0], f"finished job runs {job_runs()[0]}"
        )
        checks.figure(
            f"summary figures: no-op {noop:.0f}/s, single {single:.0f}/s (ratio {single / noop if noop else float('nan'):.2f}); "
            f"burst {result['rate']:.0f}/s p99 {result['p99'] * 1000:.0f} ms; recovery {result['recovered']:.1f} s"
        )
    except SkipRest:
        log("--measure-only: the /readyz, schedule and backup checks are skipped")
    except Exception as exc:  # a setup step failed: that is a failed rehearsal, with the reason
        import traceback

        traceback.print_exc()
        checks.check("rehearsal ran to the end", False, f"{type(exc).__name__}: {exc}")
    finally:
        top.stop()
        if not args.keep:
            from contextlib import suppress

            with suppress(Exception):
                from django.db import connections

                connections.close_all()
            for db in (DB, RESTORE_DB):
                with suppress(Exception):
                    admin_sql(f"DROP DATABASE IF EXISTS {db}")
            shutil.rmtree(workdir, ignore_errors=True)
    print("\n== rehearsal summary")
    for name, passed, detail in checks.results:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
    print("== figures")
    for line in checks.figures:
        print(f"  {line}")
    print(
        f"== {len(checks.results) - len(checks.failed)}/{len(checks.results)} checks passed in {time.monotonic() - started:.0f} s"
    )
    return 1 if checks.failed else 0


async def find_limits_logged(
    target: ol.Target, slots: ol.Slots, rates: list[float], seconds: float
) -> dict[str, list[ol.Step]]:
    return await ol.find_limits(target, slots, rates, seconds, say=log)


if __name__ == "__main__":
    sys.exit(main())
