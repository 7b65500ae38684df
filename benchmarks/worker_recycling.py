"""gunicorn worker recycling under a voting-day burst: does `--max-requests` stall the app?

Starts the two app instances exactly as deploy/systemd/sinergi-app@.service starts them (its ExecStart
through scripts/topology.py, with the environment file's SINERGI_APP_PROCESSES x SINERGI_APP_THREADS)
on a PostgreSQL database of its own (`sinergi_bench_workers`: the Kukar demo plus one synthetic TPS in
each of the first `--tps` villages outside Kukar, an election `gladi-nasional`), and for each variant
of the recycling options, one after the other in the same run at the same rate:

- `synchronised`: `--max-requests 2000 --max-requests-jitter 200` (the unit before issue 17);
- `off`: no `--max-requests` (the unit since issue 17);
- `staggered`: `--max-requests 2000 --max-requests-jitter 2000` (each worker's limit anywhere in
  2000..4000, so recycles spread out instead of arriving together);
- `reload`: no `--max-requests`; `systemctl reload` as docs/deploy.md gives it, one instance at a
  time: SIGHUP to the first instance's master a third of the way in, to the second at two thirds;
- `rolling`: no `--max-requests`; each instance's workers replaced by hand, the new ones booting
  before the old ones stop, one instance at a time: SIGTTIN once per worker (gunicorn adds workers, which boot while the old ones
  serve), and once they are ready SIGTTOU as often (gunicorn stops the oldest, gracefully);
- `preload` (not in the default set): the synchronised flags plus `--preload`.

`--max-requests` and its jitter are scaled by `--scale` (default rate / 200): the issue measured at
200 reports/s, and the same count at a lower rate would recycle later, so the scaled flags keep the
recycling timeline in seconds (each worker every ~40 s, within a ~4 s window) at a rate this shared
2-core machine sustains. `--scale 1` runs the flags as written.

Each variant: fresh instances, a short warm-up, then single turnout reports at a fixed open-loop rate
(`benchmarks/open_loop.py`: request i due at i/rate, latency from its due time, each phone from its own
loopback address), alternating between the two instances as nginx's round robin would. Recorded:
p50/p99 per 5-second window, every worker boot (gunicorn's "Booting worker with pid" on stderr, and
precise fork/ready times from a hooks file passed in GUNICORN_CMD_ARGS, which leaves the unit's argv
untouched), whether each slow request overlaps a boot, and each worker's RSS (/proc/<pid>/status VmRSS)
every second.

    .venv/bin/python benchmarks/worker_recycling.py --rate 30 --seconds 60    # about 5 minutes
    .venv/bin/python benchmarks/worker_recycling.py --rate 30 --seconds 60 --variants off,reload,rolling
        [--scale 1] [--json out.json] [--keep]

The loaded data is kept as `sinergi_bench_workers_template` for the next run (drop it after a
migration changes); the working database and the temp dir are dropped at the end unless --keep.

No nginx and no PgBouncer here (the client alternates instances itself; the app connects to
PostgreSQL directly, so a new worker also opens its PostgreSQL connections). `start_app()` and
`app_env()` are the reusable part: gunicorn as the unit gives it, on any database.
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
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "benchmarks")]

import open_loop as ol  # noqa: E402
import topology  # noqa: E402

VENV_BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432"
DB = "sinergi_bench_workers"
TEMPLATE = f"{DB}_template"
ELECTION = "gladi-nasional"
PORTS = (19001, 19002)  # stand-ins for the two upstream ports of deploy/nginx/sinergi.conf
RECYCLING = ("--max-requests", "--max-requests-jitter")
WINDOW = 5.0  # seconds per latency window
BOOTING = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4})\] \[\d+\] \[INFO\] Booting worker with pid: (\d+)")

VARIANTS: dict[str, tuple[str, ...]] = {
    "synchronised": ("--max-requests", "2000", "--max-requests-jitter", "200"),
    "off": (),
    "staggered": ("--max-requests", "2000", "--max-requests-jitter", "2000"),
    "reload": (),
    "rolling": (),
    "preload": ("--max-requests", "2000", "--max-requests-jitter", "200", "--preload"),
}
RELOADED = {"reload": "hup", "rolling": "ttin"}  # variants whose instances are recycled by hand, one at a time
ISSUE_RATE = 200.0  # reports/s at which the issue measured the recycling flags


def scaled(flags: tuple[str, ...], scale: float) -> tuple[str, ...]:
    """The flags with the values of --max-requests and --max-requests-jitter multiplied by `scale`."""
    out = list(flags)
    for k, flag in enumerate(out[:-1]):
        if flag in RECYCLING:
            out[k + 1] = str(max(1, round(int(out[k + 1]) * scale)))
    return tuple(out)


# gunicorn server hooks: fork and ready times of each worker, in wall-clock seconds, one JSON line each.
HOOKS = """import json, os, time
def _note(event, pid):
    with open(os.environ["SINERGI_BENCH_EVENTS"], "a") as out:
        out.write(json.dumps({"event": event, "pid": pid, "master": os.getppid(), "t": time.time()}) + "\\n")
def post_fork(server, worker):
    _note("fork", worker.pid)
def post_worker_init(worker):
    _note("ready", worker.pid)
def worker_exit(server, worker):
    _note("exit", worker.pid)
"""


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(argv: list[str], env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result


def psql(statement: str) -> str:
    argv = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc", statement]
    return run(argv).stdout.strip()


# --- gunicorn as the unit starts it (reusable) ---------------------------------------------------------


def app_env(database_url: str, var_dir: Path, code_dir: Path | None = None, **overrides: str) -> dict[str, str]:
    """What systemd gives the app unit: a bare environment plus the environment file (deploy/'s example),
    pointed at `database_url` directly (no PgBouncer), plain HTTP on loopback, a per-process cache."""
    env = topology.read_env()
    env.update(
        DATABASE_URL=database_url,
        SINERGI_PGBOUNCER="",
        SINERGI_SECRET_KEY=secrets.token_urlsafe(50),
        SINERGI_ALLOWED_HOSTS="127.0.0.1,localhost",
        SINERGI_CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
        SINERGI_VAR_DIR=str(var_dir),
        SINERGI_SSL_REDIRECT="0",
        SINERGI_HSTS_SECONDS="0",
        SINERGI_CACHE_URL="",
    )
    base = {"PATH": f"{VENV_BIN}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(var_dir), "LANG": "C.UTF-8"}
    if code_dir is not None:
        base["PYTHONPATH"] = str(code_dir)
    return {**base, **env, **overrides}


def app_argv(
    port: int, env: dict[str, str], *, without: tuple[str, ...] = (), extra: tuple[str, ...] = ()
) -> list[str]:
    """The app unit's ExecStart for 127.0.0.1:port (this venv's gunicorn), options in `without` removed
    (with their values), `extra` appended."""
    argv = topology.exec_start(topology.APP_UNIT, env, str(port), venv_bin=str(VENV_BIN))
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in without:
            skip = "=" not in arg
            continue
        out.append(arg)
    return out + list(extra)


@dataclass
class App:
    port: int
    popen: subprocess.Popen
    logfile: Path

    def workers(self) -> list[int]:
        """The gunicorn master's children (its workers)."""
        children = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.popen.pid:
                        children.append(int(entry))
        return sorted(children)

    def stop(self, timeout: float = 30) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


def start_app(port: int, env: dict[str, str], cwd: Path, logfile: Path, **argv_changes: tuple[str, ...]) -> App:
    """One app instance on 127.0.0.1:port in its own session, stdout and stderr to `logfile`."""
    argv = app_argv(port, env, **argv_changes)
    with logfile.open("ab") as handle:
        popen = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    return App(port, popen, logfile)


async def wait_healthy(port: int, timeout: float = 90) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(OSError, TimeoutError, ConnectionError):
            if (await ol.http("127.0.0.1", port, "GET", "/healthz", timeout=5)).status == 200:
                return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise TimeoutError(f"127.0.0.1:{port} did not answer /healthz within {timeout:.0f} s")


def rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


# --- the database --------------------------------------------------------------------------------------


def prepare_database(workdir: Path, code: Path, n_tps: int) -> None:
    """`sinergi_bench_workers` from its template, built once (the Kukar demo, the rehearsal election)."""
    psql(f"DROP DATABASE IF EXISTS {DB}")
    env = app_env(f"{PG}/{DB}", workdir / "var", code, SINERGI_DEMO="1")
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{TEMPLATE}'") == "1":
        log(f"{DB} from {TEMPLATE}, then sinergi migrate")
        psql(f"CREATE DATABASE {DB} TEMPLATE {TEMPLATE}")
        run([str(VENV_BIN / "sinergi"), "migrate", "--noinput"], env=env, cwd=workdir / "var")
        return
    log(f"building {TEMPLATE}: sinergi demo --no-serve, then {n_tps:,} synthetic TPS (kept for the next run)")
    psql(f"CREATE DATABASE {DB}")
    run([str(VENV_BIN / "sinergi"), "demo", "--no-serve"], env=env, cwd=workdir / "var")
    import rehearse  # the rehearsal's national election: Kukar's TPS plus one per village elsewhere

    rehearse.gladi_prepare(n_tps, 1)
    from django.db import connections

    connections.close_all()
    psql(f"CREATE DATABASE {TEMPLATE} TEMPLATE {DB}")


def django_setup(code: Path) -> None:
    sys.path.insert(0, str(code))
    os.environ.update(DATABASE_URL=f"{PG}/{DB}", SINERGI_DEMO="1", DJANGO_SETTINGS_MODULE="sinergi.settings")
    os.environ["SINERGI_PGBOUNCER"] = ""
    import django

    django.setup()


def phones(n_tokens: int) -> tuple[list[str], list[str]]:
    """API tokens of the rehearsal election's KPU operator and the election's TPS codes."""
    from sinergi.accounts.models import User
    from sinergi.accounts.tokens import token_create
    from sinergi.areas.models import PollingStation

    user = User.objects.get(username="gladi.kpu")
    tokens = [token_create(user=user, name=f"workers-{i}") for i in range(n_tokens)]
    tps = list(PollingStation.objects.within("ID").order_by("code").values_list("code", flat=True))
    return tokens, tps


# --- one variant ---------------------------------------------------------------------------------------


@dataclass
class Result:
    variant: str
    rate: float
    seconds: float
    flags: tuple[str, ...] = ()
    ready: dict[int, float] = field(default_factory=dict)  # pid -> when the worker could serve (wall clock)
    wall_start: float = 0.0
    samples: list[ol.Sample] = field(default_factory=list)
    boots: list[dict] = field(default_factory=list)  # pid, fork, ready (wall clock), port
    boot_lines: int = 0  # "Booting worker" lines on stderr after the load started
    rss: dict[int, list[tuple[float, float]]] = field(default_factory=dict)  # pid -> [(t, MB)]
    startup_boot: list[float] = field(default_factory=list)  # seconds from fork to ready at startup
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)


def reports(tokens: list[str], pairs: list[tuple[str, str]], tag: str) -> ol.Request:
    """Request i: a new single report, to the two instances in turn (nginx's round robin)."""

    def request(i: int):
        tps, checkpoint = pairs[i]
        body = ol.report_body(ELECTION, tps, checkpoint, f"{tag}:{tps}:{checkpoint}")
        headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}", "Content-Type": "application/json"}
        path = "/api/v1/turnout/reports"
        return ol.http(
            "127.0.0.1", PORTS[i % len(PORTS)], "POST", path, body=body, headers=headers, source=ol.phone_address(i)
        )

    return request


async def sample_rss(apps: list[App], out: dict[int, list[tuple[float, float]]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        now = time.time()
        for app in apps:
            for pid in app.workers():
                mb = rss_mb(pid)
                if mb is not None:
                    out.setdefault(pid, []).append((now, mb))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def reload_one_at_a_time(apps: list[App], seconds: float, how: str | None, events: Path) -> None:
    """Each instance in turn, spread over `seconds`: `systemctl reload` (ExecReload: HUP to the master),
    or the rolling replacement (TTIN per worker, wait until the new workers are ready, TTOU as often)."""
    if how is None:
        return
    for app in apps:
        await asyncio.sleep(seconds / (len(apps) + 1))
        if how == "hup":
            log(f"  SIGHUP to the master of :{app.port}")
            os.kill(app.popen.pid, signal.SIGHUP)
            continue
        await rolling_replace(app, events)


async def rolling_replace(app: App, events: Path) -> None:
    """gunicorn's TTIN/TTOU: as many new workers as there are, then the oldest ones stopped."""
    old = app.workers()
    started = time.time()
    log(f"  SIGTTIN x{len(old)} to the master of :{app.port}")
    for _ in old:
        os.kill(app.popen.pid, signal.SIGTTIN)
        await asyncio.sleep(0.2)  # one signal at a time: the kernel merges a pending duplicate
    while True:
        fresh = [
            pid
            for pid, e in read_events(events).items()
            if e.get("master") == app.popen.pid and e.get("ready", 0) >= started
        ]
        if len(fresh) >= len(old) or time.time() - started > 60:
            break
        await asyncio.sleep(0.1)
    log(f"  {len(fresh)} new workers ready after {time.time() - started:.1f} s: SIGTTOU x{len(old)}")
    for _ in old:
        os.kill(app.popen.pid, signal.SIGTTOU)
        await asyncio.sleep(0.2)


def read_events(path: Path) -> dict[int, dict[str, float]]:
    events: dict[int, dict[str, float]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            item = json.loads(line)
            events.setdefault(item["pid"], {})[item["event"]] = item["t"]
            events[item["pid"]]["master"] = item["master"]
    return events


def booting_lines(logfile: Path, since: float) -> int:
    """gunicorn's "Booting worker with pid" lines (second resolution) at or after `since`."""
    count = 0
    for line in logfile.read_text(errors="replace").splitlines():
        match = BOOTING.match(line)
        if match and datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S %z").timestamp() >= int(since):
            count += 1
    return count


async def measure(variant: str, args, workdir: Path, code: Path, tokens: list[str], slots: ol.Slots) -> Result:
    result = Result(variant, args.rate, args.seconds, load=os.getloadavg())
    events = workdir / f"events-{variant}.jsonl"
    hooks = workdir / "hooks.py"
    env = app_env(
        f"{PG}/{DB}", workdir / "var", code, SINERGI_BENCH_EVENTS=str(events), GUNICORN_CMD_ARGS=f"-c {hooks}"
    )
    flags = scaled(VARIANTS[variant], args.scale)
    result.flags = flags
    logs = {port: workdir / f"app-{variant}-{port}.log" for port in PORTS}
    apps = [start_app(port, env, workdir / "var", logs[port], without=RECYCLING, extra=flags) for port in PORTS]
    try:
        await asyncio.gather(*(wait_healthy(port) for port in PORTS))
        log(f"{variant}: {' '.join(app_argv(PORTS[0], env, without=RECYCLING, extra=flags)[1:])}")
        warm = int(max(20, args.rate / 5) * 3)
        await ol.open_loop("warm", warm / 3, 3, reports(tokens, slots.take(warm), f"warm-{variant}"))
        await asyncio.sleep(1)
        result.startup_boot = [
            e["ready"] - e["fork"] for e in read_events(events).values() if "ready" in e and "fork" in e
        ]
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_rss(apps, result.rss, stop))
        pairs = slots.take(int(args.rate * args.seconds))
        result.wall_start = time.time() + 0.05  # open_loop's start
        reloads = asyncio.create_task(reload_one_at_a_time(apps, args.seconds, RELOADED.get(variant), events))
        step = await ol.open_loop(variant, args.rate, args.seconds, reports(tokens, pairs, variant))
        await reloads
        stop.set()
        await sampler
        result.samples = step.samples
    finally:
        for app in apps:
            app.stop()
    for pid, times in read_events(events).items():
        result.ready[pid] = times.get("ready", float("inf"))
        if times.get("fork", 0) >= result.wall_start:
            port = next((app.port for app in apps if app.popen.pid == times["master"]), 0)
            ready = times.get("ready", float("nan"))
            result.boots.append({"pid": pid, "port": port, "fork": times["fork"], "ready": ready})
    result.boot_lines = sum(booting_lines(app.logfile, result.wall_start) for app in apps)
    return result


# --- analysis ------------------------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def boot_intervals(result: Result, margin: float) -> list[tuple[float, float]]:
    """Boots as (start, end) in seconds since the load started, widened by `margin` each side."""
    out = []
    for boot in result.boots:
        ready = boot["ready"] if boot["ready"] == boot["ready"] else result.wall_start + result.seconds + 10
        out.append((boot["fork"] - result.wall_start - margin, ready - result.wall_start + margin))
    return out


def aligned(sample: ol.Sample, intervals: list[tuple[float, float]]) -> bool:
    return any(sample.due <= end and sample.due + sample.latency >= start for start, end in intervals)


def windows(result: Result) -> list[str]:
    lines = [
        "| window (s) | n | p50 ms | p99 ms | max ms | errors | boots started |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    forks = [b["fork"] - result.wall_start for b in result.boots]
    for k in range(int(result.seconds // WINDOW)):
        lo, hi = k * WINDOW, (k + 1) * WINDOW
        part = [s for s in result.samples if lo <= s.due < hi]
        lat = [s.latency for s in part]
        errors = sum(1 for s in part if not ol.ok(s.status))
        boots = sum(1 for f in forks if lo <= f < hi)
        lines.append(
            f"| {lo:.0f}-{hi:.0f} | {len(part)} | {ms(ol.percentile(lat, 0.5))} | {ms(ol.percentile(lat, 0.99))} "
            f"| {ms(max(lat, default=float('nan')))} | {errors} | {boots} |"
        )
    return lines


def summary(result: Result, slow: float, margin: float) -> dict:
    lat = [s.latency for s in result.samples]
    intervals = boot_intervals(result, margin)
    slow_samples = [s for s in result.samples if s.latency >= slow or not ol.ok(s.status)]
    boot_seconds = [b["ready"] - b["fork"] for b in result.boots if b["ready"] == b["ready"]]
    forks = sorted(b["fork"] - result.wall_start for b in result.boots)
    by_port = {b["port"]: [] for b in result.boots}
    for boot in sorted(result.boots, key=lambda b: b["fork"]):
        by_port[boot["port"]].append(round(boot["fork"] - result.wall_start, 1))
    # a worker's memory once it serves (not while it imports), and the growth of those alive all along
    served = {
        pid: [(t, mb) for t, mb in series if t >= result.ready.get(pid, 0) + 1] for pid, series in result.rss.items()
    }
    rss_all = [mb for series in served.values() for _, mb in series]
    growth = [
        series[-1][1] - series[0][1]
        for series in served.values()
        if series and series[0][0] <= result.wall_start + 2 and series[-1][0] - series[0][0] >= 30
    ]
    first_boot = min(forks, default=float("inf")) - margin
    before = [s.latency for s in result.samples if s.due + s.latency < first_boot]
    return {
        "variant": result.variant,
        "flags": " ".join(result.flags),
        "rate": result.rate,
        "n": len(lat),
        "p50_ms": round(ol.percentile(lat, 0.5) * 1000, 1),
        "p99_ms": round(ol.percentile(lat, 0.99) * 1000, 1),
        "max_ms": round(max(lat, default=float("nan")) * 1000, 1),
        "errors": sum(1 for s in result.samples if not ol.ok(s.status)),
        "boots": len(result.boots),
        "boot_lines_stderr": result.boot_lines,
        "boot_seconds": [round(b, 2) for b in boot_seconds],
        "startup_boot_seconds": [round(b, 2) for b in result.startup_boot],
        "boot_at_s": [round(f, 1) for f in forks],
        "boot_at_s_by_instance": by_port,
        "slow": len(slow_samples),
        "slow_on_a_boot": sum(1 for s in slow_samples if aligned(s, intervals)),
        "slow_from_first_boot": sum(1 for s in slow_samples if s.due + s.latency >= first_boot),
        "p99_before_first_boot_ms": round(ol.percentile(before, 0.99) * 1000, 1),
        "p99_outside_boots_ms": round(
            ol.percentile([s.latency for s in result.samples if not aligned(s, intervals)], 0.99) * 1000, 1
        ),
        "rss_mb_min_max": [round(min(rss_all, default=0), 1), round(max(rss_all, default=0), 1)],
        "rss_growth_mb_max": round(max(growth, default=0.0), 1),
        "workers_seen": len(result.rss),
        "loadavg_before": [round(x, 2) for x in result.load],
    }


def report(results: list[Result], slow: float, margin: float) -> list[dict]:
    summaries = [summary(r, slow, margin) for r in results]
    for result, item in zip(results, summaries, strict=True):
        print(f"\n== {result.variant}: {result.rate:.0f} single reports/s for {result.seconds:.0f} s")
        print("\n".join(windows(result)))
        print(json.dumps(item))
    base = next((s for s in summaries if s["variant"] == "off"), None)
    print(
        f"\n| variant | n | p50 ms | p99 ms | max ms | errors | boots in run | boot s (fork->ready) | slow >= {ms(slow)} ms | on a boot (+-{margin:g} s) | from the first boot on | p99 ms before it | RSS MB min-max | RSS growth MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for s in summaries:
        boot_s = f"{min(s['boot_seconds']):.1f}-{max(s['boot_seconds']):.1f}" if s["boot_seconds"] else "-"
        print(
            f"| {s['variant']} | {s['n']} | {s['p50_ms']:.0f} | {s['p99_ms']:.0f} | {s['max_ms']:.0f} | {s['errors']} "
            f"| {s['boots']} | {boot_s} | {s['slow']} | {s['slow_on_a_boot']} | {s['slow_from_first_boot']} "
            f"| {s['p99_before_first_boot_ms']:.0f} "
            f"| {s['rss_mb_min_max'][0]:.0f}-{s['rss_mb_min_max'][1]:.0f} | {s['rss_growth_mb_max']:+.1f} |"
        )
    if base and base["p99_ms"]:
        ratios = ", ".join(f"{s['variant']} {s['p99_ms'] / base['p99_ms']:.1f}x" for s in summaries)
        print(f"\np99 relative to `off` in the same run: {ratios}")
    return summaries


# --- main ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=50, help="single reports per second (open loop)")
    parser.add_argument("--scale", type=float, help="factor on --max-requests and its jitter (default rate / 200)")
    parser.add_argument("--seconds", type=float, default=75, help="measured seconds per variant")
    parser.add_argument("--variants", default="synchronised,off,staggered", help=f"from {', '.join(VARIANTS)}")
    parser.add_argument("--tps", type=int, default=15_000, help="synthetic TPS when the template is built")
    parser.add_argument("--tokens", type=int, default=20)
    parser.add_argument("--slow", type=float, default=0.25, help="a request this slow (s) counts as slow")
    parser.add_argument("--margin", type=float, default=1.0, help="s either side of a boot that count as on it")
    parser.add_argument("--json", type=Path, help="write the summaries here")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temp dir")
    args = parser.parse_args()
    variants = args.variants.split(",")
    if args.scale is None:
        args.scale = args.rate / ISSUE_RATE
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}")
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-workers-"))
    (workdir / "var").mkdir()
    (workdir / "hooks.py").write_text(HOOKS)
    # The servers run a copy of the package taken now, so other edits to the tree cannot reach one variant only.
    code = workdir / "code"
    shutil.copytree(ROOT / "sinergi", code / "sinergi", ignore=shutil.ignore_patterns("__pycache__"))
    log(f"work dir {workdir}; {os.cpu_count()} cores, load average {os.getloadavg()}")
    try:
        django_setup(code)
        prepare_database(workdir, code, args.tps)
        tokens, tps = phones(args.tokens)
        slots = ol.Slots(tps)
        log(
            f"{len(tps):,} TPS ({len(slots.pairs):,} unreported slots); {args.rate:.0f}/s x {args.seconds:.0f} s per variant"
        )
        results = [asyncio.run(measure(v, args, workdir, code, tokens, slots)) for v in variants]
        summaries = report(results, args.slow, args.margin)
        if args.json:
            args.json.write_text(json.dumps(summaries, indent=1))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with contextlib.suppress(Exception):
                psql(f"DROP DATABASE IF EXISTS {DB}")
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
