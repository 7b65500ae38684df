"""What the worker's scheduler and the health checks cost, on a fresh database (SQLite file by default).

    python benchmarks/ops.py [--database-url URL] [--repeat 300] [--history 100000]

1. A steady-state scheduler tick (every declared job, nothing due: every instance already claimed)
   against the no-op `/healthz` request, in the same run: time ratio and queries per tick.
2. `/readyz` (database, migrations, heartbeat) against `/healthz`: ratio and queries.
3. The ops page's job list (`job_statuses`: latest run and latest error per job) with `--history`
   job runs stored, against a primary-key get of one run.

Ratios, not times: the machines are shared and noisy.
"""

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import per_call, queries, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--history", type=int, default=100_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sinergi-bench-ops-")
    setup_django(args.database_url or f"sqlite:///{folder}/bench.sqlite3", SINERGI_VAR_DIR=folder)

    from django.test import Client
    from django.utils import timezone

    from sinergi.ops import schedule, selectors
    from sinergi.ops.models import JobRun, WorkerHeartbeat
    from sinergi.ops.runner import tick
    from testkit.builders import world_make

    world_make()
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="bench", hostname="bench", pid=1, started_at=now, seen_at=now)
    jobs = schedule.jobs()
    # Fill the history: minutely runs of the escalation job going back, plus the other jobs' latest.
    step = timedelta(minutes=1)
    base = now.replace(second=0, microsecond=0) - step * (args.history + 10)
    JobRun.objects.bulk_create(
        [
            JobRun(job="incidents.escalate", scheduled_for=base + i * step, status="done", started_at=base + i * step)
            for i in range(args.history)
        ],
        batch_size=5000,
    )
    # Claim everything due now so the measured ticks are the steady state (nothing to run).
    import io
    from contextlib import redirect_stdout

    with redirect_stdout(io.StringIO()):
        first = tick(now=now, worker="bench")
    client = Client()
    readyz = client.get("/readyz")
    assert readyz.status_code == 200, readyz.json()

    steady = per_call(lambda: tick(now=now, worker="bench"), args.repeat)
    health = per_call(lambda: client.get("/healthz"), args.repeat)
    statuses_seen: list[int] = []
    ready = per_call(lambda: statuses_seen.append(client.get("/readyz").status_code), args.repeat)
    assert set(statuses_seen) == {200}, sorted(set(statuses_seen))
    statuses = per_call(lambda: selectors.job_statuses(now), args.repeat)
    one = JobRun.objects.order_by("pk").last()
    assert one is not None
    plain = per_call(lambda: JobRun.objects.get(pk=one.pk), args.repeat)

    print(f"jobs declared {len(jobs)}, first tick ran {first.claimed} instance(s), history {args.history} runs")
    print(
        f"steady tick      {steady * 1e3:7.2f} ms  /healthz {health * 1e3:6.2f} ms  ratio {steady / health:5.2f}"
        f"  queries {queries(lambda: tick(now=now, worker='bench'))}"
    )
    print(
        f"/readyz          {ready * 1e3:7.2f} ms  /healthz {health * 1e3:6.2f} ms  ratio {ready / health:5.2f}"
        f"  queries {queries(lambda: client.get('/readyz'))} vs {queries(lambda: client.get('/healthz'))}"
    )
    print(
        f"job_statuses     {statuses * 1e3:7.2f} ms  pk get   {plain * 1e3:6.2f} ms  ratio {statuses / plain:5.2f}"
        f"  queries {queries(lambda: selectors.job_statuses(now))}"
    )


if __name__ == "__main__":
    main()
