"""Cache stampede: the old get/set read against `core.cache.shared_read`, same run, same load.

    python benchmarks/shared_cache.py [--threads 20] [--seconds 8] [--load-ms 300] [--ttl 1] [--backend locmem|redis]

`--threads` readers ask for one key in a loop (20 ms between requests, as a page poll) for `--seconds`.
The loader costs `--load-ms`: a `time.sleep` standing for the national turnout aggregate (250-450 ms in
issue 17), so the numbers are about the cache pattern, not the database. An entry lives `--ttl` seconds:
- get/set: `cache.get`, on a miss load and `cache.set(ttl)` (what turnout's selectors and views did);
- shared_read: fresh for `ttl`, served stale for 30 s more while one caller reloads; one loader at a time.
The readers share one cache (`locmem`: one process's memory; `redis`: the production backend on
127.0.0.1:6379, as every worker of every app instance shares it). Prints loads and p50/p99 latency.
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    """Settings only: the benchmark touches no database."""
    os.environ.setdefault("SINERGI_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()


def run(pattern: str, args: argparse.Namespace, backend) -> dict:
    from sinergi.core.cache import shared_read

    loads, latencies, lock = [0], [], threading.Lock()
    key = f"bench:{uuid.uuid4().hex}"

    def load() -> dict:
        with lock:
            loads[0] += 1
        time.sleep(args.load_ms / 1000)
        return {"turnout_pct": 71.5}

    def old_read() -> dict:
        hit = backend.get(key)
        if hit is None:
            hit = load()
            backend.set(key, hit, args.ttl)
        return hit

    def new_read() -> dict:
        return shared_read(key, load, fresh_seconds=args.ttl, stale_seconds=30, cache=backend)

    read = old_read if pattern == "get/set" else new_read
    start = threading.Barrier(args.threads)
    stop_at = [0.0]

    def reader() -> None:
        start.wait()
        mine = []
        while time.monotonic() < stop_at[0]:
            t0 = time.perf_counter()
            read()
            mine.append(time.perf_counter() - t0)
            time.sleep(0.02)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=reader) for _ in range(args.threads)]
    stop_at[0] = time.monotonic() + args.seconds + 1
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies)
    return {
        "pattern": pattern,
        "requests": len(ordered),
        "loads": loads[0],
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--load-ms", type=float, default=300)
    parser.add_argument("--ttl", type=int, default=1)
    parser.add_argument("--backend", choices=["locmem", "redis"], default="locmem")
    args = parser.parse_args()
    setup_django()
    if args.backend == "redis":
        from django.core.cache.backends.redis import RedisCache

        backend = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": "bench"})
    else:
        from django.core.cache.backends.locmem import LocMemCache

        backend = LocMemCache("bench", {})
    print(
        f"{args.threads} threads, {args.seconds:g} s, load {args.load_ms:g} ms (sleep), ttl {args.ttl} s, {args.backend}"
    )
    print(f"{'pattern':<12} {'requests':>8} {'loads':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    results = [run(p, args, backend) for p in ("get/set", "shared_read")]
    for r in results:
        print(
            f"{r['pattern']:<12} {r['requests']:>8} {r['loads']:>6} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['max_ms']:>8.1f}"
        )
    old, new = results
    print(
        f"loads {old['loads'] / max(new['loads'], 1):.1f}x fewer; p99 {old['p99_ms'] / max(new['p99_ms'], 0.001):.1f}x lower"
    )


if __name__ == "__main__":
    main()
